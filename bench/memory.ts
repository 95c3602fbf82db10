// npm run bench:memory — peak memory of `postdesk ingest` on huge HTML mails: one 24 MB HTML-table
// mail, and four of them at once (four decode workers). Each case is a fresh process of the real CLI
// (compiled dist/, as installed; the script builds it first) on a temporary data directory, whose
// peak RSS (VmHWM, all threads) is read at its exit. Baselines in the same run: an idle app process
// and bare mailparser simpleParser on the same mails, called as the parse filter calls it (so
// without mailparser's own HTML-to-text): the parsing no ingest can do without.
// Targets: one mail ≤ 400 MB, four at once ≤ 1 GB.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PARSER_OPTIONS } from '../src/inbound/filters/parse.ts';
// @ts-expect-error: plain JavaScript beside the bin, without type declarations
import { currentCompiledEntry } from '../bin/compiled-entry.js';

const ROOT = path.resolve(import.meta.dirname, '..');

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

/** Loaded into every measured process: at its exit, its peak resident memory (VmHWM: all threads) in MB, on stderr. */
const REPORT_PEAK = `data:text/javascript,${encodeURIComponent(
  "import fs from 'node:fs'; process.on('exit', () => fs.writeSync(2, `peak-rss-mb ${Number(/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024}\\n`));",
)}`;

interface Measured {
  seconds: number;
  peakMB: number;
  output: string;
}

/** Runs plain node (no tsx: what users run) with the peak reporter. */
function measure(args: string[]): Measured {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', REPORT_PEAK, ...args], { cwd: ROOT, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peak = /peak-rss-mb ([\d.]+)/.exec(child.stderr);
  if (child.status !== 0 || !peak) throw new Error(`${args.join(' ')} failed (exit code ${child.status}): ${child.stderr}`);
  return { seconds, peakMB: Number(peak[1]), output: child.stdout.trim() };
}

/** `postdesk ingest` of the files, with this many decode workers (0: in the main thread), into a fresh data directory. */
function ingest(files: string[], decodeWorkers: number): Measured {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-memory-'));
  const config = path.join(dataDir, 'postdesk.config.json');
  fs.writeFileSync(config, JSON.stringify({ ingest: { decodeWorkers } }));
  try {
    const measured = measure(['bin/postdesk.js', '--data', dataDir, '--config', config, 'ingest', ...files]);
    // One line per mail ("created #1000: file", "quarantined: file (reason)"): the outcomes, counted.
    const counts = new Map<string, number>();
    for (const line of measured.output.split('\n')) counts.set(line.split(/[ :]/)[0], (counts.get(line.split(/[ :]/)[0]) ?? 0) + 1);
    return { ...measured, output: [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ') };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The floor: the CLI opens the app (database, stores) and lists the empty quarantine. */
function idle(): Measured {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-memory-'));
  try {
    return measure(['bin/postdesk.js', '--data', dataDir, 'quarantine', 'list']);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Bare mailparser simpleParser on the files at once, called as the parse filter calls it. */
function parse(files: string[]): Measured {
  const script = `import { simpleParser } from 'mailparser'; import fs from 'node:fs';
    const parsed = await Promise.all(process.argv.slice(1).map((f) => simpleParser(fs.readFileSync(f), ${JSON.stringify(PARSER_OPTIONS)})));
    console.log(parsed.map((p) => ((p.html || '').length / 1e6).toFixed(1)).join(' + ') + ' MB of HTML');`;
  return measure(['--input-type=module', '-e', script, ...files]);
}

if (!currentCompiledEntry()) throw new Error('dist/ is not current: run `npm run build` first (npm run bench:memory does)');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-mails-'));
const files = Array.from({ length: 4 }, (_, n) => {
  const file = path.join(dir, `report-${n}.eml`);
  fs.writeFileSync(file, reportMail(n, n % 2 ? 'base64' : 'quoted-printable'));
  return file;
});
const sizes = files.map((f) => (fs.statSync(f).size / 1024 / 1024).toFixed(1));
console.log(`mails: ${files.length} HTML-table reports of ${sizes.join(', ')} MB (quoted-printable, base64 alternating), ${os.availableParallelism()} CPU cores, compiled dist/`);

const row = (label: string, m: Measured, base?: Measured) =>
  console.log(`${label.padEnd(40)} ${m.seconds.toFixed(1).padStart(5)} s ${m.peakMB.toFixed(0).padStart(6)} MB peak RSS${base ? ` (×${(m.peakMB / base.peakMB).toFixed(2)} of parse)` : ''}  ${m.output}`);

const floor = idle();
row('idle app process', floor);
const parseOne = parse(files.slice(0, 1));
row('baseline: simpleParser, 1 mail', parseOne);
const ingestOne = ingest(files.slice(0, 1), 1);
row('postdesk ingest, 1 mail, 1 worker', ingestOne, parseOne);
const inlineOne = ingest(files.slice(0, 1), 0);
row('postdesk ingest, 1 mail, main thread', inlineOne, parseOne);
const parseFour = parse(files);
row('baseline: simpleParser, 4 mails at once', parseFour);
const ingestFour = ingest(files, 4);
row('postdesk ingest, 4 mails, 4 workers', ingestFour, parseFour);
console.log(`\nabove the idle app (${floor.peakMB.toFixed(0)} MB): 1 mail ${(ingestOne.peakMB - floor.peakMB).toFixed(0)} MB, 4 mails ${(ingestFour.peakMB - floor.peakMB).toFixed(0)} MB`);
console.log(`targets: 1 mail ${ingestOne.peakMB.toFixed(0)} MB (≤ 400), 4 mails ${ingestFour.peakMB.toFixed(0)} MB (≤ 1024)`);
fs.rmSync(dir, { recursive: true, force: true });
