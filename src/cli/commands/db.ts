import type { Command } from 'commander';
import { createBackup } from '../../backup/create.ts';
import { restoreBackup } from '../../backup/restore.ts';
import { locateDataDir } from '../../config/locate.ts';
import { postdeskVersion } from '../../package-root.ts';
import { printJson } from '../app-context.ts';
import { globalOptions } from '../global-options.ts';
import { say } from '../terminal-text.ts';

/** `postdesk db`: the SQLite data directory as a whole. Neither opens the App: a backup changes nothing, a restore has no database yet. */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('the data directory as a whole: backup and restore (SQLite)');
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
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

