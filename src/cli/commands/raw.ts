import type { Command } from 'commander';
import type { App } from '../../app.ts';
import type { Db } from '../../store/db.ts';
import { findAttachment, findRawMail } from '../../store/pack-lookup.ts';
import type { ContentStore } from '../../store/content-store.ts';
import type { PackLocation } from '../../store/pack-store.ts';
import { withApp } from '../app-context.ts';
import { UsageError } from '../errors.ts';
import { visibleLines } from '../terminal-text.ts';

/** "Show original": any kept mail, stored or quarantined, byte for byte (piped or redirected). */
export function registerRawCommand(program: Command): void {
  registerKeptContentCommand(program, {
    verb: 'raw',
    what: 'mail',
    description: 'write a kept mail, as it arrived, to stdout (its sha256 is in tickets show --json and quarantine list --json)',
    find: findRawMail,
    store: (app) => app.raw,
  });
}

/** An attachment's content, byte for byte, as the mail carried it. */
export function registerAttachmentCommand(program: Command): void {
  registerKeptContentCommand(program, {
    verb: 'attachment',
    what: 'attachment',
    description: 'write a kept attachment to stdout (its sha256 is in tickets show --json)',
    find: findAttachment,
    store: (app) => app.attachments,
  });
}

interface KeptContent {
  verb: string;
  what: string;
  description: string;
  find: (db: Db, sha256: string) => Promise<PackLocation | undefined>;
  store: (app: App) => ContentStore<PackLocation>;
}

function registerKeptContentCommand(program: Command, kept: KeptContent): void {
  program
    .command(kept.verb)
    .description(kept.description)
    .argument('<sha256>', `the ${kept.what}'s sha256`)
    .action(async (hash: string, _o: unknown, cmd: Command) => {
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new UsageError(`${kept.verb}: not a sha256: ${hash}`);
      await withApp(cmd, async (app) => {
        const location = await kept.find(app.db, hash);
        if (!location) throw new UsageError(`${kept.verb}: no kept ${kept.what} with sha256 ${hash}`);
        const content = await kept.store(app).get(location);
        // A terminal would act on the control sequences in it: there it is shown with visible escapes.
        process.stdout.write(process.stdout.isTTY ? visibleLines(content.toString('utf8')) : content);
      });
    });
}
