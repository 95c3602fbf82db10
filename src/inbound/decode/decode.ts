// Decoding turns raw bytes into plain data: keep raw → 8-bit headers → parse → normalize → sanitize →
// save attachments → visible text → classify, and what they learn without NULs. These filters need no
// database, only the raw mail, the limits and somewhere to keep contents, so a worker thread can run
// them while the main thread commits the mail before (see ./pool.ts).
import { QuarantineMail } from '../filter-failures.ts';
import type { DecodeContext, DecodeFilter, DecodeInput, DecodeStorage, DecodeStores, DecodedMail } from './decoded-mail.ts';
import { openContentStores, type PackStore } from '../../store/pack-store.ts';
import { withoutNul } from '../../store/without-nul.ts';
import { handBackStores } from './hand-back.ts';
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
 * Decodes in this thread, keeping contents in the given stores. A failure of any kind is a
 * QuarantineMail naming the failed filter.
 */
export async function decodeMail(input: DecodeInput, stores: DecodeStores): Promise<DecodedMail> {
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
  // Every decoded string leaves here (subject, names, bodies, file names, headers): without U+0000,
  // which PostgreSQL's text cannot hold, so both databases store the same text. The raw mail keeps it.
  return { rawLocation, ...withoutNul({ mail, html, text, visibleText, attachments, classification }) };
}

/** Decodes in a worker thread: into the thread's own packs, or handing the attachments back. */
export async function decodeInWorker(input: DecodeInput, storage: DecodeStorage): Promise<DecodedMail> {
  if (storage !== 'hand-back') return decodeMail(input, threadPackStores(storage));
  const { stores, handedBack } = handBackStores();
  return { ...(await decodeMail(input, stores)), handedBack };
}

const threadStores = new Map<string, DecodeStores>();

/**
 * A worker thread's stores, one pair per data directory: each keeps the thread's pack open and
 * remembers what it kept lately.
 */
export function threadPackStores(storage: Exclude<DecodeStorage, 'hand-back'>): DecodeStores {
  let stores = threadStores.get(storage.rawDir);
  if (!stores) {
    const packs = openContentStores(storage);
    threadStores.set(storage.rawDir, (stores = { raw: appending(packs.raw), attachments: appending(packs.attachments) }));
  }
  return stores;
}

function appending(packs: PackStore): DecodeStores['raw'] {
  return { put: async (bytes) => packs.append(bytes) };
}
