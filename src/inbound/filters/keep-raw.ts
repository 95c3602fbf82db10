// Raw first: the bytes are kept in the raw store before anything parses them, so
// every accepted mail can be re-read, retried or audited, whatever the parser makes of it.
import type { DecodeFilter } from '../decode/decoded-mail.ts';

export const keepRaw: DecodeFilter = {
  name: 'keep-raw',
  async run(ctx) {
    ctx.rawLocation = await ctx.stores.raw.put(ctx.raw);
  },
};
