import { extractVisibleText } from '../visible-text/index.ts';
import { required } from '../filter-failures.ts';
import type { DecodeFilter } from '../decode/decoded-mail.ts';

export const extractVisible: DecodeFilter = {
  name: 'visible-text',
  run(ctx) {
    // An agent's reply is relayed, so it is cut where the mail client marked the quote: at the class
    // and id attributes of the unsanitized HTML. Converting HTML costs several times the text rules,
    // which serve the stored view of everyone else's mail.
    const fromAgent = ctx.agentAddresses.includes(required(ctx.mail, 'mail').from.address);
    const html = fromAgent && typeof ctx.parsed?.html === 'string' ? ctx.parsed.html : null;
    ctx.visibleText = extractVisibleText(required(ctx.text, 'text'), html);
  },
};
