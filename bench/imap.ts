// npm run bench:imap [-- --server dovecot|cyrus|courier] — IMAP intake against a local IMAP server
// the test harness starts (Dovecot by default): the bench:ingest mails (shared
// fixtures, then generated support threads) APPENDed, then drained into tickets; the same mails
// ingested from Maildir files in the same run as the baseline
// (rounds alternate which path goes first, so load drift on a shared machine hits both alike);
// then the APPEND → stored latency of single mails while the watch loop IDLEs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, silentLogger, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { pollMailboxOnce } from '../src/intake/imap/poll-once.ts';
import { watchMailbox } from '../src/intake/imap/watch-loop.ts';
import { drainMaildir } from '../src/intake/maildir/drain.ts';
import { percentile } from '../src/reports/percentile.ts';
import { ensureMaildir } from '../src/intake/maildir/folders.ts';
import { parseArgs } from 'node:util';
import { imapServerKind } from '../tests/harness/imap-servers.ts';
import { benchCorpus, generatedMail } from './corpus.ts';

const TOTAL = Number(process.env.BENCH_IMAP_MAILS ?? 10_000);
const ROUND = Number(process.env.BENCH_IMAP_ROUND ?? 2000);
const LATENCY_MAILS = 100;
const user = { user: 'bench', password: 'bench-pw' };

function benchApp(imap?: { port: number }): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-imap-'));
  const mailboxes = imap
    ? [{ name: 'support', address: 'support@example.com', imap: { host: '127.0.0.1', port: imap.port, tls: 'none', user: user.user, password: user.password, pollIntervalSeconds: 600 } }]
    : [];
  fs.writeFileSync(path.join(dataDir, 'postdesk.config.json'), JSON.stringify({ mailboxes }));
  return openApp({ config: loadConfig({ dataDir, env: {}, cwd: dataDir }), log: silentLogger });
}

/** Seconds of this process's CPU (user + system) since a process.cpuUsage() reading. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Line ends as SMTP delivers them: Cyrus refuses an APPEND with bare LF ("Message contains bare newlines"). */
function crlf(mail: Buffer): Buffer {
  return Buffer.from(mail.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

const { values: args } = parseArgs({ options: { server: { type: 'string', default: 'dovecot' } } });
const kind = imapServerKind(args.server!);
const missing = kind.missing();
if (missing) {
  console.error(`bench:imap --server ${kind.name}: ${missing}`);
  process.exit(1);
}
const server = await kind.start([user]);
const viaImap = await benchApp(server);
const viaFiles = await benchApp();
const maildir = path.join(viaFiles.config.dataDir, 'bench-maildir');
ensureMaildir(maildir);
try {
  const mails = benchCorpus(TOTAL).slice(0, TOTAL).map(crlf);
  await pollMailboxOnce(viaImap, viaImap.mailboxes[0]); // first start: the checkpoint

  let imapSeconds = 0;
  let fileSeconds = 0;
  let imapCpu = 0;
  let fileCpu = 0;
  let appendSeconds = 0;
  let drained = 0;
  let rejected = 0;
  for (let start = 0, round = 0; start < mails.length; start += ROUND, round++) {
    const chunk = mails.slice(start, start + ROUND);
    const appendStart = process.hrtime.bigint();
    const client = await server.client(user);
    const accepted: Buffer[] = [];
    for (const mail of chunk) {
      // A mail the server refuses (not a valid IMAP literal) is left out of both paths.
      const ok = await client.append('INBOX', mail).catch(() => false);
      if (ok) accepted.push(mail);
      else rejected += 1;
    }
    await client.logout();
    appendSeconds += seconds(appendStart);
    accepted.forEach((mail, i) => fs.writeFileSync(path.join(maildir, 'new', `${String(start + i).padStart(8, '0')}.P${process.pid}.bench`), mail));

    const runImap = async () => {
      const [t, cpu] = [process.hrtime.bigint(), process.cpuUsage()];
      drained += await pollMailboxOnce(viaImap, viaImap.mailboxes[0]);
      imapSeconds += seconds(t);
      imapCpu += cpuSeconds(cpu);
    };
    const runFiles = async () => {
      const [t, cpu] = [process.hrtime.bigint(), process.cpuUsage()];
      await drainMaildir(viaFiles, maildir, { mailbox: viaFiles.mailboxes[0] });
      fileSeconds += seconds(t);
      fileCpu += cpuSeconds(cpu);
    };
    if (round % 2 === 0) await runImap().then(runFiles);
    else await runFiles().then(runImap);
  }

  const stop = new AbortController();
  const watching = watchMailbox(viaImap, viaImap.mailboxes[0], stop.signal);
  const latencies: number[] = [];
  const client = await server.client(user);
  await new Promise((r) => setTimeout(r, 500)); // the watch loop connects and starts IDLE
  for (let i = 0; i < LATENCY_MAILS; i++) {
    const stored = new Promise<void>((resolve) => viaImap.events.once('ingested', () => resolve()));
    const t = process.hrtime.bigint();
    await client.append('INBOX', crlf(generatedMail(900_000 + i, 0)));
    await stored;
    latencies.push(seconds(t) * 1000);
    await new Promise((r) => setTimeout(r, 50)); // back to IDLE before the next mail
  }
  await client.logout();
  stop.abort();
  await watching;
  latencies.sort((a, b) => a - b);

  const count = drained;
  console.log(`server: ${server.label}`);
  console.log(`mails: ${count} drained over IMAP (${rejected} refused by APPEND), ${ROUND} per round`);
  console.log(`APPEND to the server:    ${(count / appendSeconds).toFixed(0)} mails/s (${appendSeconds.toFixed(1)} s, not part of the drain)`);
  console.log(`baseline ingest of files: ${(count / fileSeconds).toFixed(0)} mails/s (${fileSeconds.toFixed(1)} s, Maildir files through the same pipeline)`);
  console.log(`IMAP drain into tickets:  ${(count / imapSeconds).toFixed(0)} mails/s (${imapSeconds.toFixed(1)} s)`);
  console.log(`ratio IMAP/files time:    ${(imapSeconds / fileSeconds).toFixed(2)} (target <= 1.50)`);
  console.log(`postdesk CPU (this process): files ${fileCpu.toFixed(1)} s, IMAP ${imapCpu.toFixed(1)} s, ratio ${(imapCpu / fileCpu).toFixed(2)}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`APPEND → stored under IDLE, ${LATENCY_MAILS} single mails: p50 ${percentile(latencies, 0.5)!.toFixed(0)} ms, p95 ${percentile(latencies, 0.95)!.toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms (target p95 <= 2000)`);
} finally {
  await viaImap.close();
  await viaFiles.close();
  await server.stop();
  for (const dir of [viaImap.config.dataDir, viaFiles.config.dataDir, server.dir]) fs.rmSync(dir, { recursive: true, force: true });
}
