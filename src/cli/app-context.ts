import type { Command } from 'commander';
import { openApp, type App, type AppOptions } from '../app.ts';
import { globalOptions, type GlobalOptions } from './global-options.ts';

/** Opens the App for a command from the global options, runs fn, and always closes the database. */
export async function withApp<T>(cmd: Command, fn: (app: App, opts: GlobalOptions) => Promise<T> | T, appOptions: AppOptions = {}): Promise<T> {
  const opts = globalOptions(cmd);
  const app = await openApp({ ...appOptions, dataDir: opts.data, configPath: opts.config, now: opts.now });
  try {
    return await fn(app, opts);
  } finally {
    await app.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
