// Decoding turns raw bytes into plain data: keep raw → 8-bit headers → parse → normalize → sanitize →
// save attachments → visible text → classify. These filters need no database, only the raw mail, the
// limits and the store folders, so a worker thread can run them while the main thread commits the
// mail before (see ./pool.ts).
import { QuarantineMail } from '../filter-failures.ts';
import type { DecodeContext, DecodeFilter, DecodeInput, DecodedMail } from './decoded-mail.ts';
import { openContentStores, type ContentStores } from '../../store/pack-store.ts';
import { keepRaw } from '../filters/keep-raw.ts';
import { transcodeEightBitHeaders } from '../filters/eight-bit-headers.ts';
import { parseMail } from '../filters/parse.ts';
import { normalizeMail } from '../filters/normalize.ts';
import { sanitizeMailBody } from '../filters/sanitize.ts';
import { saveAttachments } from '../filters/save-attachments.ts';
import { extractVisible } from '../filters/visible-text.ts';
import { classifyMail } from '../filters/classify.ts';

export const decodeFilters: DecodeFilter[] = [keepRaw, transcodeEightBitHeaders, parseMail, normalizeMail, sanitizeMailBody, saveAttachments, extractVisible, classifyMail];

/**
 * Decodes in this thread, keeping files in the given stores (a worker thread's own, by default).
 * A failure of any kind is a QuarantineMail naming the failed filter.
 */
export async function decodeMail(input: DecodeInput, stores = storesAt(input.storage)): Promise<DecodedMail> {
  const { raw, limits, agentAddresses } = input;
  const ctx: DecodeContext = { raw, limits, agentAddresses, stores };
  for (const filter of decodeFilters) {
    try {
      await filter.run(ctx);
    } catch (err) {
      const reason = err instanceof QuarantineMail ? err.message : `${filter.name} failed: ${(err as Error).message}`;
      throw new QuarantineMail(reason, ctx.rawLocation);
    }
  }
  // Not mailparser's whole result: copying it to the main thread cost more than the rest together.
  const { rawLocation, mail, html, text, visibleText, attachments, classification } = ctx;
  if (!rawLocation || !mail || html === undefined || text === undefined || visibleText === undefined || !attachments || !classification) {
    throw new Error('decode filters left the mail incomplete');
  }
  return { rawLocation, mail, html, text, visibleText, attachments, classification };
}

const threadStores = new Map<string, ContentStores>();

/**
 * A worker thread's stores, one pair per data directory: each keeps the thread's pack open and
 * remembers what it kept lately.
 */
function storesAt(storage: DecodeInput['storage']): ContentStores {
  let stores = threadStores.get(storage.rawDir);
  if (!stores) threadStores.set(storage.rawDir, (stores = openContentStores(storage)));
  return stores;
}
