import { extractVisibleText } from '../visible-text/index.ts';
import { required, type PrepareFilter } from '../context.ts';

export const extractVisible: PrepareFilter = {
  name: 'visible-text',
  run(ctx) {
    ctx.visibleText = extractVisibleText(required(ctx.text, 'text'));
  },
};
