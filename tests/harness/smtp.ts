// An in-process SMTP server (smtp-server) that captures every message it accepts, parsed with
// mailparser. It can be taken down and brought back on the same port (delivery-retry tests), can
// refuse recipients with a chosen reply code (permanent-failure tests), and can offer STARTTLS with
// a given certificate (TLS-trust tests) and ask for a password (AUTH tests).
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** Whether the mail came over TLS (STARTTLS). */
  secure: boolean;
  /** Every raw header line of this name (lower-case), unfolded. */
  headers(name: string): string[];
}

export interface SmtpCaptureOptions {
  /** Reply code for a recipient (e.g. 550); undefined accepts it. */
  refuse?: (recipient: string) => number | undefined;
  /** Offer STARTTLS with this key and certificate (PEM); without it the server speaks plain text only. */
  tls?: { key: string; cert: string };
  /** Require AUTH with this password (any user name), over plain text too: the server is loopback. */
  password?: string;
  /** The address to listen on (default 127.0.0.1); the config names it by `host` when given. */
  listen?: { address: string; host: string };
}

export class SmtpCapture {
  readonly mails: CapturedMail[] = [];
  private server?: SMTPServer;
  private waiters: (() => void)[] = [];

  private constructor(
    public port: number,
    private readonly options: SmtpCaptureOptions,
  ) {}

  static async start(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
    const capture = new SmtpCapture(0, options);
    await capture.up();
    return capture;
  }

  /** The `smtp` config section that points Postdesk at this server. */
  get config() {
    return { host: this.options.listen?.host ?? '127.0.0.1', port: this.port, secure: false, pool: true };
  }

  /** Brings the server (back) up on its port. */
  async up(): Promise<void> {
    const server = new SMTPServer({
      authOptional: this.options.password === undefined,
      allowInsecureAuth: true,
      disabledCommands: [...(this.options.tls ? [] : ['STARTTLS']), ...(this.options.password === undefined ? ['AUTH'] : [])],
      onAuth: (auth, _session, callback) =>
        auth.password === this.options.password ? callback(null, { user: auth.username }) : callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 })),
      ...this.options.tls,
      logger: false,
      closeTimeout: 200,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const code = this.options.refuse?.(address.address.toLowerCase());
        if (code === undefined) return callback();
        const err = Object.assign(new Error(`refused ${address.address}`), { responseCode: code });
        callback(err);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              this.mails.push({
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                },
                raw,
                parsed,
                secure: session.secure,
                headers: (name) => parsed.headerLines.filter((h) => h.key === name.toLowerCase()).map((h) => h.line.slice(h.line.indexOf(':') + 1).trim()),
              });
              this.waiters.splice(0).forEach((wake) => wake());
              callback();
            })
            .catch(callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.options.listen?.address ?? '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Takes the server down; connections in progress are cut. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Mails delivered to this address (envelope recipient). */
  to(address: string): CapturedMail[] {
    return this.mails.filter((m) => m.envelope.to.includes(address.toLowerCase()));
  }

  /** Resolves once at least `count` mails were captured; rejects after the timeout. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} mails, got ${this.mails.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
