// Where outgoing mail goes: the configured SMTP server (nodemailer, pooled connections), or — with no
// SMTP configured, the embedded default — `.eml` files in data/outbox-sent/ that a newcomer can open.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { App } from '../app.ts';
import { resolveSecret } from '../config/load.ts';
import { PRIVATE_DIR, PRIVATE_FILE } from '../store/private-data.ts';
import { tlsOptions } from '../config/tls.ts';
import { isLoopbackHost } from '../config/loopback.ts';

export interface MailDelivery {
  /** For logs: `smtp://host:port` or the .eml directory. */
  name: string;
  send(mail: Mail.Options & { messageId: string }): Promise<void>;
  close(): void;
}

export function openDelivery(app: App): MailDelivery {
  return app.config.smtp ? smtpDelivery(app) : emlDelivery(app.config.dataDir);
}

const SENT_DIR = 'outbox-sent';

/** The .eml copy of a mail sent without SMTP: named after its Message-ID, so a retry rewrites the same file. */
export function sentCopyFile(dataDir: string, messageId: string): string {
  return path.join(dataDir, SENT_DIR, `${messageId.replace(/^<|>$/g, '').replace(/[^a-z0-9.@_-]/gi, '_')}.eml`);
}

function smtpDelivery(app: App): MailDelivery {
  const smtp = app.config.smtp!;
  const password = resolveSecret(smtp.password, 'smtp.password');
  const port = smtp.port ?? (smtp.secure ? 465 : 587);
  const options = {
    host: smtp.host,
    port,
    secure: smtp.secure,
    // STARTTLS is a must beyond loopback: else a server (or a man in the middle) that offers none
    // would get the password and customers' mail in plain text. IMAP refuses tls "none" the same way.
    requireTLS: !smtp.secure && !isLoopbackHost(smtp.host),
    auth: smtp.user ? { user: smtp.user, pass: password ?? '' } : undefined,
    tls: tlsOptions(smtp),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  };
  const transport = smtp.pool ? nodemailer.createTransport({ ...options, pool: true, maxConnections: 2 }) : nodemailer.createTransport(options);
  return {
    name: `smtp://${smtp.host}:${port}`,
    async send(mail) {
      await transport.sendMail(mail);
    },
    close: () => transport.close(),
  };
}

function emlDelivery(dataDir: string): MailDelivery {
  const dir = path.join(dataDir, SENT_DIR);
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    name: dir,
    async send(mail) {
      const info = await composer.sendMail(mail);
      fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
      const file = sentCopyFile(dataDir, mail.messageId);
      fs.writeFileSync(`${file}.tmp`, info.message as Buffer, { mode: PRIVATE_FILE });
      fs.renameSync(`${file}.tmp`, file);
    },
    close: () => composer.close(),
  };
}
