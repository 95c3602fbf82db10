import type { Command } from 'commander';
import { createBackup } from '../../backup/create.ts';
import { restoreBackup } from '../../backup/restore.ts';
import { databaseTarget } from '../../config/database.ts';
import { locateDataDir } from '../../config/locate.ts';
import { databaseSchema } from '../../config/schema.ts';
import { copyToPostgres } from '../../store/copy/copy-to-postgres.ts';
import { postdeskVersion } from '../../package-root.ts';
import { printJson } from '../app-context.ts';
import { globalOptions } from '../global-options.ts';
import { say } from '../terminal-text.ts';
import { UsageError } from '../errors.ts';

/**
 * `postdesk db`: the SQLite data directory as a whole. None opens the App: a backup changes nothing,
 * a restore has no database yet, a copy reads the data directory and writes only the target.
 */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('the data directory as a whole: backup and restore (SQLite), copy to PostgreSQL');
  db.command('backup')
    .argument('<file>', 'the archive to write: a tar file (.tar.gz or .tgz: compressed)')
    .option('--force', 'replace the file if it exists')
    .description('write an online, consistent backup of the data directory to one tar file, while Postdesk runs')
    .addHelpText(
      'after',
      `
The archive holds manifest.json (time, Postdesk version, rows per table, sha256 of every file), a
consistent copy of postdesk.sqlite, the raw and attachment packs, inbox/new/ (mail not yet ingested)
and the secret (unless configured). It is written 0600; restore it with \`postdesk db restore\`.`,
    )
    .action(async (file: string, options: { force?: boolean }, cmd: Command) => {
      const global = globalOptions(cmd);
      const started = Date.now();
      const outcome = await createBackup({
        dataDir: locateDataDir({ dataDir: global.data, configPath: global.config }),
        file,
        force: options.force,
        now: global.now(),
        version: postdeskVersion(),
      });
      const { tables, files } = outcome.manifest;
      if (global.json) return printJson({ file: outcome.file, bytes: outcome.bytes, files: Object.keys(files).length, tables, attempts: outcome.attempts });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      say`${outcome.file}: ${tables.tickets ?? 0} tickets, ${tables.messages ?? 0} messages, ${Object.keys(files).length} files, ${megabytes(outcome.bytes)} in ${seconds} s\n`;
    });
  db.command('restore')
    .argument('<file>', 'an archive written by postdesk db backup')
    .description('unpack a backup into the data directory (--data), which must be new or empty, and check every file against its manifest')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const global = globalOptions(cmd);
      const dataDir = locateDataDir({ dataDir: global.data, configPath: global.config });
      const manifest = await restoreBackup(file, dataDir);
      const summary = { dataDir, createdAt: manifest.createdAt, postdeskVersion: manifest.postdeskVersion, files: Object.keys(manifest.files).length, tables: manifest.tables };
      if (global.json) return printJson(summary);
      say`${dataDir}: restored the backup of ${manifest.createdAt} (${summary.files} files, ${manifest.tables.tickets ?? 0} tickets, ${manifest.tables.messages ?? 0} messages), every sha256 checked\n`;
    });
  registerCopy(db);
}

function registerCopy(db: Command): void {
  db.command('copy')
    .requiredOption('--to <url>', 'the PostgreSQL database to copy into: postgres://user:password@host:5432/database (empty)')
    .option('--ca <file>', "TLS with the server's certificate checked against this PEM file (a managed database's own CA), also on a loopback host")
    .option('--restart', 'empty a database that a copy left unfinished, and copy again')
    .description('copy the SQLite data directory (database, raw mails, attachments, quarantine) into an empty PostgreSQL database, and verify it')
    .addHelpText(
      'after',
      `
Rows keep their ids; every table's rows are counted on both sides and every raw mail and attachment is
read back from PostgreSQL and its sha256 checked. Until the check passes, the database is marked as a
half copy and Postdesk refuses to start on it. The data directory is read as one moment left it, so
\`postdesk run\` may go on; what it takes in after that moment is not copied: stop it first for the
real move. A TLS connection (any host but a loopback one) checks the server's certificate.`,
    )
    .action(async (options: { to: string; ca?: string; restart?: boolean }, cmd: Command) => {
      const global = globalOptions(cmd);
      // A CA file says the server speaks TLS: its certificate is then checked, whatever the host.
      const trust = options.ca === undefined ? {} : { tls: 'require' as const, ca: options.ca };
      const target = databaseTarget(databaseSchema.parse({ url: options.to, ...trust }), options.to, '--to', '--ca');
      if (target.kind !== 'postgres') throw new UsageError('db copy: --to: give a postgres:// URL');
      const outcome = await copyToPostgres({
        dataDir: locateDataDir({ dataDir: global.data, configPath: global.config }),
        target,
        restart: options.restart,
        now: global.now(),
        warn: (message) => process.stderr.write(`postdesk: warning: ${message}\n`),
      });
      if (global.json) return printJson({ ...outcome, target: target.label });
      const { raw, attachment } = outcome.contents;
      const rows = Object.entries(outcome.tables).filter(([, n]) => n > 0);
      say`${outcome.source} copied to ${target.label} in ${outcome.seconds.toFixed(1)} s, and verified:\n`;
      say`  rows, equal on both sides: ${rows.map(([table, n]) => `${table} ${n}`).join(', ')} (other tables empty)\n`;
      say`  contents, each read back from PostgreSQL with its sha256: ${raw.contents} raw mails, ${attachment.contents} attachments, ${megabytes(raw.bytes + attachment.bytes)}\n`;
    });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

