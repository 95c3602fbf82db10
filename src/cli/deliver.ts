// `postdesk deliver`: the MTA's command for one mail on stdin. It only writes the mail durably into
// the data directory's Maildir (inbox/), which `postdesk run` watches and ingests within a second.
// It loads no database, no parser, no commander and no configuration schema (bin/postdesk.js runs
// ./deliver-entry.ts before the CLI), so an MTA can start it for every mail at little cost.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { locateDataDir, type LocateOptions } from '../config/locate.ts';
import { deliverToMaildir } from '../intake/maildir-delivery.ts';
import { ensureDataDir } from '../store/data-dir.ts';
import { UsageError } from './errors.ts';
import { pipeFailure } from './mta-pipe.ts';

export const DELIVER_USAGE = 'usage: postdesk deliver [--data <dir>] [--config <file>] < mail';

/** Delivers the mail on input into <data>/inbox; returns the exit code (0, or 75 to make the MTA retry). */
export async function deliver(opts: LocateOptions, input: AsyncIterable<Buffer | string> = process.stdin): Promise<number> {
  let dataDir: string | null = null;
  try {
    dataDir = locateDataDir(opts);
    ensureDataDir(dataDir);
    deliverToMaildir(path.join(dataDir, 'inbox'), await readAll(input));
    return 0;
  } catch (err) {
    return pipeFailure('deliver', err, dataDir);
  }
}

/** `postdesk deliver …` from the command line as bin/postdesk.js passes it (the words after `deliver`). */
export async function deliverFromCommandLine(args: string[]): Promise<number> {
  let values: { data?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { data: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    return pipeFailure('deliver', new UsageError(`${(err as Error).message}; ${DELIVER_USAGE}`), null);
  }
  if (values.help) {
    process.stdout.write(`${DELIVER_USAGE}\nwrites the mail into <data>/inbox/new for \`postdesk run\`; exit 0, or 75 (retry later)\n`);
    return 0;
  }
  return deliver({ dataDir: values.data, configPath: values.config });
}

async function readAll(input: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
