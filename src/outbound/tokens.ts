// Signed tokens (HMAC-SHA256 with the server secret) in the addresses and Message-IDs we send:
// - Message-ID `pd.<ticket>.<random>.<mac>@<domain>`: threads replies, and marks a mail as ours (loop guard);
// - Reply-To `<local>+r<ticket>.<agent>.<mac>@<domain>`: binds an agent's reply to one ticket and one agent.
// Tokens are lower-case so that mail servers that fold the local part's case do not break them.
import crypto from 'node:crypto';

const MAC_LENGTH = 24; // hex characters: 96 bits, not guessable

function mac(secret: string, purpose: string, payload: string): string {
  return crypto.createHmac('sha256', secret).update(`${purpose}:${payload}`).digest('hex').slice(0, MAC_LENGTH);
}

function sameMac(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** A new Message-ID (without brackets) for a mail about a ticket (ticket 0: not about a ticket). */
export function newMessageId(secret: string, ticketNumber: number, domain: string): string {
  const payload = `${ticketNumber}.${crypto.randomBytes(8).toString('hex')}`;
  return `pd.${payload}.${mac(secret, 'message-id', payload)}@${domain}`;
}

/** The ticket number of a Message-ID we generated with this secret, or undefined. */
export function verifyMessageId(secret: string, messageId: string): number | undefined {
  const m = /^pd\.(\d+\.[0-9a-f]{16})\.([0-9a-f]+)@/i.exec(messageId);
  if (!m || !sameMac(m[2].toLowerCase(), mac(secret, 'message-id', m[1]))) return undefined;
  return Number(m[1].split('.')[0]);
}

export interface ReplyToken {
  ticketId: number;
  agentId: number;
}

/** The Reply-To address of an agent notification: `support+r12.3.<mac>@example.com`. */
export function replyAddress(secret: string, mailboxAddress: string, token: ReplyToken): string {
  const at = mailboxAddress.lastIndexOf('@');
  const payload = `${token.ticketId}.${token.agentId}`;
  return `${mailboxAddress.slice(0, at)}+r${payload}.${mac(secret, 'reply-to', payload)}${mailboxAddress.slice(at)}`;
}

export type ReplyTokenCheck = { status: 'valid'; token: ReplyToken } | { status: 'invalid'; reason: string };

/**
 * Finds a reply token among the recipient addresses of a mail to this mailbox. Undefined when none
 * carries a `+r...` part; `invalid` when one does but its signature does not match (forged or altered).
 */
export function findReplyToken(secret: string, mailboxAddress: string, recipients: string[]): ReplyTokenCheck | undefined {
  const at = mailboxAddress.lastIndexOf('@');
  const local = mailboxAddress.slice(0, at).toLowerCase();
  const domain = mailboxAddress.slice(at + 1).toLowerCase();
  for (const recipient of recipients) {
    const address = recipient.toLowerCase();
    if (!address.startsWith(`${local}+r`) || domainOf(address) !== domain) continue;
    const tag = address.slice(local.length + 2, address.lastIndexOf('@'));
    const m = /^(\d+)\.(\d+)\.([0-9a-f]+)$/.exec(tag);
    if (!m) return { status: 'invalid', reason: `malformed reply token in ${recipient}` };
    const payload = `${m[1]}.${m[2]}`;
    if (!sameMac(m[3], mac(secret, 'reply-to', payload))) return { status: 'invalid', reason: `reply token signature mismatch in ${recipient}` };
    return { status: 'valid', token: { ticketId: Number(m[1]), agentId: Number(m[2]) } };
  }
  return undefined;
}
