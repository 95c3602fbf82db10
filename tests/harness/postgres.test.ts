// The PostgreSQL harness itself: the cluster the backend tests will run against is real, reachable
// as the app reaches it, keeps databases apart, and leaves nothing behind — also when its test
// process is killed. Timings are printed for the README, not asserted.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.ts';
import { describeWithPostgres, startPostgres, type PostgresCluster } from './postgres.ts';

describeWithPostgres('PostgreSQL test harness', () => {
  it('runs a throwaway cluster: password login over TCP, timestamptz and jsonb, two databases apart; stop leaves nothing', async () => {
    let t = performance.now();
    const cluster = await startPostgres();
    const startMs = performance.now() - t;
    let createMs: number[] = [];
    try {
      expect(cluster.url).toMatch(new RegExp(`^postgres://postdesk:[^@]+@127\\.0\\.0\\.1:${cluster.port}/postdesk$`));
      if (process.getuid?.() === 0) expect(ownerOf(cluster.pid)).toBe(uidOf('postgres'));

      await withClient(cluster.url, async (c) => {
        await c.query('CREATE TABLE events (id serial PRIMARY KEY, at timestamptz NOT NULL, data jsonb NOT NULL)');
        const at = new Date('2026-03-29T01:30:00.123+02:00');
        const data = { subject: 'Grüße — 你好', tags: ['a', 'b'], nested: { n: 1.5, none: null } };
        await c.query('INSERT INTO events (at, data) VALUES ($1, $2)', [at, data]);
        const row = (await c.query('SELECT at, data, data->>$1 AS subject FROM events', ['subject'])).rows[0];
        expect(row.at).toBeInstanceOf(Date);
        expect(row.at.getTime()).toBe(at.getTime());
        expect(row.data).toEqual(data);
        expect(row.subject).toBe('Grüße — 你好');
        // The cluster's locale lowers beyond ASCII, as case-insensitive address matching will need.
        expect((await c.query(`SELECT lower('ÄNNE@EXAMPLE.ORG') AS l`)).rows[0].l).toBe('änne@example.org');
      });

      const wrong = new URL(cluster.url);
      wrong.password = 'not-the-password';
      await expect(withClient(wrong.href, (c) => c.query('SELECT 1'))).rejects.toThrow(/password authentication failed/);

      const urls: string[] = [];
      for (let i = 0; i < 5; i++) {
        t = performance.now();
        urls.push(await cluster.createDatabase());
        createMs.push(performance.now() - t);
      }
      const [a, b] = urls;
      expect(new Set(urls).size).toBe(urls.length);
      await Promise.all(
        [a, b].map((url) =>
          withClient(url, async (c) => {
            await c.query('CREATE TABLE tickets (number int PRIMARY KEY, subject text)');
            await c.query('INSERT INTO tickets VALUES (1, $1)', [url]);
          }),
        ),
      );
      for (const url of [a, b]) {
        await withClient(url, async (c) => expect((await c.query('SELECT subject FROM tickets')).rows).toEqual([{ subject: url }]));
      }
      // A new database is empty: the tables of its siblings are not in it.
      await withClient(urls[2], async (c) => expect((await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n).toBe(0));
    } finally {
      await cluster.stop();
    }
    expectGone(cluster);
    createMs = createMs.sort((x, y) => x - y);
    console.log(
      `${cluster.label}: cluster start (initdb + postmaster + role + first database) ${Math.round(startMs)} ms; ` +
        `CREATE DATABASE … TEMPLATE template1 median ${Math.round(createMs[2])} ms (min ${Math.round(createMs[0])}, max ${Math.round(createMs[4])})`,
    );
  });

  it('a killed test process (SIGKILL) leaves no postmaster and no directory', async () => {
    const harness = path.join(packageRoot, 'tests/harness/postgres.ts');
    const script = `
      const { startPostgres } = await import(${JSON.stringify(harness)});
      const c = await startPostgres();
      console.log(JSON.stringify({ pid: c.pid, dir: c.dir, name: c.name }));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const started = await new Promise<Pick<PostgresCluster, 'pid' | 'dir' | 'name'>>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out));
      });
      child.once('exit', (code) => reject(new Error(`the child exited with ${code} before its cluster started:\n${stderr}`)));
    });
    expect(alive(started.pid)).toBe(true);
    expect(fs.existsSync(started.dir)).toBe(true);

    child.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (alive(started.pid) || processesNamed(started.name).length || fs.existsSync(started.dir))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expectGone(started);
  });
});

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function expectGone(cluster: Pick<PostgresCluster, 'pid' | 'dir' | 'name'>): void {
  expect(alive(cluster.pid)).toBe(false);
  expect(processesNamed(cluster.name)).toEqual([]);
  expect(fs.existsSync(cluster.dir)).toBe(false);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Server processes whose title carries the cluster's name (postmaster, checkpointer, backends, ...). */
function processesNamed(name: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((line) => line.includes(name) && !line.includes('ps -eo'));
}

function ownerOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

function uidOf(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
