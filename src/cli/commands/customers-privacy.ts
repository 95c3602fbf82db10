import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { exportCustomerData } from '../../privacy/export.ts';
import { forgetCustomer } from '../../privacy/forget.ts';
import { findHoldings, holdingCounts, type Holdings } from '../../privacy/holdings.ts';
import type { App } from '../../app.ts';
import { printJson, withApp } from '../app-context.ts';
import { UsageError } from '../errors.ts';
import { PRIVATE_FILE } from '../../store/private-data.ts';
import { say } from '../terminal-text.ts';

/** `postdesk customers export` and `customers forget`: a customer's requests about their data. */
export function registerCustomersPrivacyCommands(customers: Command): void {
  customers
    .command('export')
    .argument('<email>', 'customer address')
    .option('--out <file>', 'the zip to write (- for stdout); default customer-<email>-<date>.zip in the current directory')
    .description('write everything held about a customer to a zip (layout in its README.txt)')
    .action(async (email: string, options: { out?: string }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const holdings = await requireHoldings(app, email);
        const out = options.out ?? `customer-${holdings.customer.email.replace(/[^a-z0-9.@_+-]/gi, '_')}-${app.now().toISOString().slice(0, 10)}.zip`;
        if (out === '-') return exportCustomerData(app, holdings, process.stdout);
        await exportCustomerData(app, holdings, openPrivateFile(out));
        if (global.json) return printJson({ email: holdings.customer.email, file: path.resolve(out), ...holdingCounts(holdings) });
        say`${path.resolve(out)}\n`;
      });
    });
  customers
    .command('forget')
    .argument('<email>', 'customer address')
    .option('--confirm', 'erase for good (without it, only say what would be erased)')
    .option('--by <name>', 'who asked for the erasure, for the audit log (default: the OS user)')
    .description('erase a customer’s personal data, raw mails and attachments; their tickets stay, anonymized, for reports')
    .action(async (email: string, options: { confirm?: boolean; by?: string }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const holdings = await requireHoldings(app, email);
        const counts = holdingCounts(holdings);
        if (!options.confirm) {
          if (global.json) printJson({ email: holdings.customer.email, wouldErase: counts });
          else say`would erase ${holdings.customer.email}: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}\n`;
          throw new UsageError('customers forget: nothing erased; add --confirm to erase');
        }
        const outcome = await forgetCustomer(app, holdings, options.by ?? osUser());
        if (!outcome.walTruncated) app.log.warn('another process is reading the database: its WAL file keeps old pages until the next checkpoint');
        if (global.json) return printJson({ email: holdings.customer.email, ...outcome });
        const packs = outcome.raw.rewritten + outcome.attachments.rewritten;
        const zeroed = outcome.raw.zeroed + outcome.attachments.zeroed;
        say`erased ${holdings.customer.email}: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}; ${outcome.raw.records + outcome.attachments.records} kept contents removed (${packs} packs rewritten${zeroed ? `, ${zeroed} packs of a running process zeroed in place` : ''}), ${outcome.files} files deleted; audit event ${outcome.auditEvent}\n`;
      });
    });
}

async function requireHoldings(app: App, email: string): Promise<Holdings> {
  const holdings = await findHoldings(app, email);
  if (!holdings) throw new UsageError(`no customer ${email}`);
  return holdings;
}

/** Created 0600 whatever the umask, and never over an existing file. */
function openPrivateFile(file: string): fs.WriteStream {
  try {
    return fs.createWriteStream('', { fd: fs.openSync(file, 'wx', PRIVATE_FILE) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`--out: ${file} exists already`);
    throw new UsageError(`--out: cannot create ${file} (${code ?? (err as Error).message})`);
  }
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}
