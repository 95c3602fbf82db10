// The visible part of a reply: without quoted history and without the sender's mail signature.
import EmailReplyParser from 'email-reply-parser';

export function extractVisibleText(text: string): string {
  if (!text.trim()) return '';
  return new EmailReplyParser().parseReply(text).trim();
}
