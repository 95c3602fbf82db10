// What the real-MTA harnesses (exim.ts, postfix.ts) share: what a running MTA offers a test, how
// mail goes in (SMTP on 127.0.0.1) and how a test waits on it.
import nodemailer from 'nodemailer';

/** A private MTA instance on 127.0.0.1 that delivers its domain's local parts to aliases. */
export interface Mta {
  name: string;
  port: number;
  /** The domain delivered locally; aliases are its local parts. */
  domain: string;
  log(): string;
  /** How many messages wait in the queue. */
  queued(): number;
  /** Tries every queued mail now, retry times ignored (exim -qff, postqueue -f). */
  retryQueue(): void;
  /** The log line of a mail to `localPart` (a pipe alias) deferred on exit 75, or delivered. */
  deferredPattern(localPart: string): RegExp;
  deliveredPattern(localPart: string): RegExp;
  /** Any failed delivery or bounce message in the log. */
  bouncePattern: RegExp;
  stop(): Promise<void>;
}

/** Starts an MTA with `aliases` (local part → alias text, e.g. `"|/usr/bin/node … ingest -"`). */
export type StartMta = (aliases: Record<string, string>) => Promise<Mta>;

export async function sendSmtp(mta: Mta, from: string, localPart: string, mail: Buffer): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from, to: `${localPart}@${mta.domain}` }, raw: mail });
  } finally {
    transport.close();
  }
}

/** Waits (up to 30 s) until `done` holds; the error shows the MTA's log. */
export async function waitFor(mta: Mta, what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${mta.name}: never ${what}:\n${mta.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
