// Parses the mail with mailparser, after the size check (the raw is already stored).
import { simpleParser } from 'mailparser';
import { QuarantineMail } from '../filter-failures.ts';
import type { DecodeFilter } from '../decode/decoded-mail.ts';

// Text-to-HTML, link detection and HTML-to-text are work we never use or do ourselves (sanitize);
// mailparser does them by default.
export const PARSER_OPTIONS = { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, skipHtmlToText: true };

export const parseMail: DecodeFilter = {
  name: 'parse',
  async run(ctx) {
    const limit = ctx.limits.maxMessageBytes;
    if (ctx.raw.length > limit) {
      throw new QuarantineMail(`too large: ${ctx.raw.length} bytes, the limit is ${limit} (ingest.maxMessageBytes)`);
    }
    try {
      ctx.parsed = await simpleParser(ctx.parserInput ?? ctx.raw, PARSER_OPTIONS);
    } catch (err) {
      throw new QuarantineMail(`unparseable MIME: ${(err as Error).message}`);
    }
  },
};
