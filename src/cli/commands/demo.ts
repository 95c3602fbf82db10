import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { openApp, stderrLogger } from '../../app.ts';
import { configFromEnvironment } from '../../config/environment.ts';
import { configSchema } from '../../config/schema.ts';
import { playDemo } from '../../demo/play.ts';
import { DEMO_ENVIRONMENT, STORY_MINUTES } from '../../demo/script.ts';
import { globalOptions } from '../global-options.ts';
import { UsageError } from '../errors.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('play a whole conversation by mail (two customers, an agent replying) in a new temporary data directory, or --data <new dir>')
    .action(async (_o: unknown, cmd: Command) => {
      const global = globalOptions(cmd);
      const dataDir = demoDataDir(global.data);
      // The story ends now (or at --now): times read naturally in `tickets show` and `sla` afterwards.
      const end = global.now().getTime();
      let at = end - STORY_MINUTES * 60_000;
      // Neither the configuration file nor the shell's POSTDESK_* apply: the demo sends no real mail
      // and writes nowhere but its own directory.
      // No secret is configured: the demo's data directory generates its own, and keeps its SQLite database.
      const { secret: _none, database: _sqlite, ...settings } = configSchema.parse(configFromEnvironment(DEMO_ENVIRONMENT));
      const config = { ...settings, database: { kind: 'sqlite' } as const, dataDir, configPath: null };
      const app = await openApp({ config, now: () => new Date(at), log: stderrLogger, decodeInline: true });
      try {
        await playDemo(app, (minutesAgo) => void (at = end - minutesAgo * 60_000));
      } finally {
        await app.close();
      }
    });
}

/** A new temporary directory, or the --data directory when it does not exist yet or is empty. */
function demoDataDir(given: string | undefined): string {
  if (given === undefined) return fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-demo-'));
  const dir = path.resolve(given);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new UsageError(`demo: ${dir} is not empty; give a new or empty directory for the demo's data`);
  return dir;
}
