import { extractVisibleText } from '../visible-text/index.ts';
import { required, type DecodeFilter } from '../context.ts';

export const extractVisible: DecodeFilter = {
  name: 'visible-text',
  run(ctx) {
    // The unsanitized HTML: the class and id attributes mail clients put on quotes mark where to cut.
    const html = typeof ctx.parsed?.html === 'string' ? ctx.parsed.html : null;
    ctx.visibleText = extractVisibleText(required(ctx.text, 'text'), html);
  },
};
