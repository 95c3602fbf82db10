// npm run bench:memory — peak memory of ingesting huge HTML mails: one 24 MB HTML-table mail, and
// four of them at once (four decode workers), each in a fresh process whose peak RSS (VmHWM, all
// threads) is read at its end. Baselines in the same run: an idle app process (opened and closed,
// nothing ingested) and bare mailparser simpleParser on the same mails, called as the parse filter
// calls it (so without mailparser's own HTML-to-text): the parsing no ingest can do without.
// Targets: one mail ≤ 400 MB, four at once ≤ 1 GB.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, silentLogger } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { ingestInOrder } from '../src/inbound/pipeline.ts';

const MAIL_BYTES = 24 * 1024 * 1024;

/**
 * An exported report as a mail: one HTML table of many styled rows, HTML only (so the text is
 * derived from it), with a few non-ASCII names; quoted-printable or base64, as report tools send it.
 */
function reportMail(n: number, encoding: 'quoted-printable' | 'base64'): Buffer {
  const head = [
    'From: Reports <reports@erp.customer.example>',
    'To: support@example.com',
    `Subject: Monthly export ${n}`,
    `Message-ID: <report-${n}@erp.customer.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    `Content-Transfer-Encoding: ${encoding}`,
    '',
    '',
  ].join('\r\n');
  const cell = 'class="xl65"';
  const row = (i: number) =>
    `<tr><td ${cell}>${100000 + i}</td><td ${cell}>Müller &amp; Søn GmbH</td><td ${cell}>2026-10-${String(1 + (i % 28)).padStart(2, '0')}</td>` +
    `<td ${cell} align="right">${(i * 37.11).toFixed(2)} €</td><td ${cell}><a href="https://erp.customer.example/orders/${i}">open</a></td></tr>\n`;
  const encode = (html: Buffer) => (encoding === 'base64' ? html.toString('base64').replace(/.{76}/g, '$&\r\n') : quotedPrintable(html));
  // Rows until the encoded mail is about MAIL_BYTES: the encoding's growth measured on a sample row.
  const sample = Buffer.from(row(0));
  const growth = encode(sample).length / sample.length;
  const body: string[] = ['<html><body><p>Your monthly export is below.</p><table cellspacing="0">\n'];
  for (let i = 0, size = head.length; size < MAIL_BYTES; i++) {
    body.push(row(i));
    size += Buffer.byteLength(body.at(-1)!) * growth;
  }
  body.push('</table></body></html>\n');
  const encoded = encode(Buffer.from(body.join('')));
  return Buffer.concat([Buffer.from(head), Buffer.from(encoded)]);
}

function quotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  let line = '';
  for (const byte of bytes) {
    const c = byte === 0x0a ? '\n' : byte === 0x3d || byte > 0x7e || (byte < 0x20 && byte !== 0x09) ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
    if (c === '\n') {
      lines.push(line);
      line = '';
      continue;
    }
    if (line.length + c.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += c;
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** Peak resident memory of this process, all threads, in MB. */
function peakRssMB(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return (hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) / 1024;
}

interface Measured {
  seconds: number;
  peakMB: number;
  outcome: string;
}

/** What a child process measures; `workers` is the decode workers of the ingest (0: main thread). */
const CASES = {
  /** The floor: the app's code loaded, its database opened, nothing ingested. */
  async idle(): Promise<string> {
    openBenchApp(1).close();
    return 'opened and closed';
  },
  async parse(files: string[]): Promise<string> {
    // Loaded here only: the app's main thread does not load the parser when workers decode.
    const { simpleParser } = await import('mailparser');
    const { PARSER_OPTIONS } = await import('../src/inbound/filters/parse.ts');
    const parsed = await Promise.all(files.map(async (f) => simpleParser(await fs.promises.readFile(f), PARSER_OPTIONS)));
    return `${parsed.map((p) => ((p.html || '').length / 1e6).toFixed(1)).join(' + ')} MB of HTML`;
  },
  async ingest(files: string[], workers: number): Promise<string> {
    const app = openBenchApp(workers);
    const outcomes: string[] = [];
    await ingestInOrder(app, files, {
      incoming: (file) => ({ source: file, mailbox: app.mailboxes[0], raw: fs.readFileSync(file), receivedAt: new Date() }),
      done: (_file, r) => void outcomes.push(r.status === 'quarantined' ? `quarantined (${r.reason})` : r.status),
    });
    app.close();
    return outcomes.join(', ');
  },
};

function openBenchApp(workers: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-memory-'));
  const config = loadConfig({ dataDir, env: {}, cwd: dataDir });
  config.ingest.decodeWorkers = workers;
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return openApp({ config, log: silentLogger });
}

if (process.env.BENCH_CASE) {
  const start = process.hrtime.bigint();
  const outcome = await CASES[process.env.BENCH_CASE as keyof typeof CASES](process.argv.slice(2), Number(process.env.BENCH_WORKERS));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, peakMB: peakRssMB(), outcome } satisfies Measured));
  process.exit(0);
}

function run(name: keyof typeof CASES, files: string[], workers = files.length): Measured {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...files], { env: { ...process.env, BENCH_CASE: name, BENCH_WORKERS: String(workers) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`${name} failed with exit code ${child.status}`);
  return JSON.parse(child.stdout) as Measured;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-mails-'));
const files = Array.from({ length: 4 }, (_, n) => {
  const file = path.join(dir, `report-${n}.eml`);
  fs.writeFileSync(file, reportMail(n, n % 2 ? 'base64' : 'quoted-printable'));
  return file;
});
const sizes = files.map((f) => (fs.statSync(f).size / 1024 / 1024).toFixed(1));
console.log(`mails: ${files.length} HTML-table reports of ${sizes.join(', ')} MB (quoted-printable, base64 alternating), ${os.availableParallelism()} CPU cores`);

const row = (label: string, m: Measured, base?: Measured) =>
  console.log(`${label.padEnd(40)} ${m.seconds.toFixed(1).padStart(5)} s ${m.peakMB.toFixed(0).padStart(6)} MB peak RSS${base ? `  (×${(m.peakMB / base.peakMB).toFixed(2)} of parse)` : ''}  ${m.outcome}`);

const idle = run('idle', []);
row('idle app process', idle);
const parseOne = run('parse', files.slice(0, 1));
row('baseline: simpleParser, 1 mail', parseOne);
const ingestOne = run('ingest', files.slice(0, 1));
row('postdesk ingest, 1 mail, 1 worker', ingestOne, parseOne);
const inlineOne = run('ingest', files.slice(0, 1), 0);
row('postdesk ingest, 1 mail, main thread', inlineOne, parseOne);
const parseFour = run('parse', files);
row('baseline: simpleParser, 4 mails at once', parseFour);
const ingestFour = run('ingest', files);
row('postdesk ingest, 4 mails, 4 workers', ingestFour, parseFour);
console.log(`\nabove the idle app (${idle.peakMB.toFixed(0)} MB): 1 mail ${(ingestOne.peakMB - idle.peakMB).toFixed(0)} MB, 4 mails ${(ingestFour.peakMB - idle.peakMB).toFixed(0)} MB`);
console.log(`targets: 1 mail ${ingestOne.peakMB.toFixed(0)} MB (≤ 400), 4 mails ${ingestFour.peakMB.toFixed(0)} MB (≤ 1024)`);
fs.rmSync(dir, { recursive: true, force: true });
