import { extractVisibleText } from '../visible-text/index.ts';
import { required, type DecodeFilter } from '../context.ts';

export const extractVisible: DecodeFilter = {
  name: 'visible-text',
  run(ctx) {
    ctx.visibleText = extractVisibleText(required(ctx.text, 'text'));
  },
};
