import type { Command } from 'commander';
import { findRawMail } from '../../store/raw-lookup.ts';
import { withApp } from '../app-context.ts';
import { UsageError } from '../errors.ts';

/** "Show original": any kept mail, stored or quarantined, byte for byte. */
export function registerRawCommand(program: Command): void {
  program
    .command('raw')
    .description('write a kept mail, as it arrived, to stdout (its sha256 is in tickets show --json and quarantine list --json)')
    .argument('<sha256>', 'the mail\'s sha256')
    .action(async (hash: string, _o: unknown, cmd: Command) => {
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new UsageError(`raw: not a sha256: ${hash}`);
      await withApp(cmd, (app) => {
        const location = findRawMail(app.db, hash);
        if (!location) throw new UsageError(`raw: no kept mail with sha256 ${hash}`);
        process.stdout.write(app.raw.read(location));
      });
    });
}
