import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseConfig } from './test-database.ts';
import { openApp, silentLogger, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { ConfigFile } from '../../src/config/schema.ts';

/** A signing secret as `openssl rand -base64 32` makes one: 256 bits, the least Postdesk accepts. */
export const STRONG_SECRET = 'q3Vb0Jm9yJ6mQe1cOQ0kq2h0m7lB8pZ1cS6wD2uE4fY=';

export function tempDir(prefix = 'postdesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestClock {
  now: () => Date;
  set(iso: string | Date): void;
  advance(ms: number): void;
}

export function testClock(start = '2026-11-02T09:00:00Z'): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (t) => void (current = new Date(t).getTime()),
    advance: (ms) => void (current += ms),
  };
}

export type TestApp = App & { clock: TestClock };

/** An App on a fresh data directory, configured only by `config` (the shell's POSTDESK_* are ignored). */
export async function testApp(config: ConfigFile = {}, opts: { dataDir?: string; clock?: TestClock } = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? tempDir();
  const configPath = path.join(dataDir, 'postdesk.config.json');
  // Decoding in the test's own thread spares each test app a worker start; the tests of the worker
  // pool, and every test that runs the CLI, use the workers.
  // On PostgreSQL, a data directory keeps its database: an App opened again on it finds its data.
  const database = config.database ?? existingDatabase(configPath) ?? (await testDatabaseConfig());
  fs.writeFileSync(configPath, JSON.stringify({ ...config, ...(database ? { database } : {}), ingest: { decodeWorkers: 0, ...config.ingest } }));
  const clock = opts.clock ?? testClock();
  const app = await openApp({ config: loadConfig({ configPath, dataDir, env: {} }), now: clock.now, log: silentLogger });
  // Tests close in afterEach whatever App they last opened, maybe closed already; a node-postgres
  // pool refuses a second end.
  let closing: Promise<void> | undefined;
  const close = app.close;
  return Object.assign(app, { clock, close: () => (closing ??= close()) });
}

/**
 * A data directory for the CLI on the suite's database, as testApp's: pass `args` (--data, --config)
 * to every postdesk run on it; testApp(…, { dataDir }) opens the same database.
 */
export async function cliDataDir(config: ConfigFile = {}): Promise<{ dataDir: string; args: string[] }> {
  const dataDir = tempDir();
  const configPath = path.join(dataDir, 'postdesk.config.json');
  const database = config.database ?? (await testDatabaseConfig());
  fs.writeFileSync(configPath, JSON.stringify({ ...config, ...(database ? { database } : {}) }));
  return { dataDir, args: ['--data', dataDir, '--config', configPath] };
}

function existingDatabase(configPath: string): ConfigFile['database'] {
  if (!fs.existsSync(configPath)) return undefined;
  return (JSON.parse(fs.readFileSync(configPath, 'utf8')) as ConfigFile).database;
}
