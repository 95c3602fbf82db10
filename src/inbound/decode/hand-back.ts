// Decoding for PostgreSQL: a worker thread cannot use the main thread's pool (a pool is not shared
// between threads), so it keeps nothing itself. The main thread keeps the raw mail before the worker
// parses it (raw first, as always), and the worker hands the attachments' bytes back with the decoded
// mail, for the main thread to keep before the mail's transaction. Chosen over a pool in each worker:
// no connections multiplied by the workers, no second connection setup to fail or to close when a
// worker is replaced; the cost is copying the attachments back to the main thread.
import { QuarantineMail } from '../filter-failures.ts';
import type { AppContentStores } from '../../store/content-store.ts';
import { sha256, type PackLocation } from '../../store/pack-store.ts';
import type { DecodeStores, DecodedMail, MailDecoder } from './decoded-mail.ts';

/** A worker's stores that keep nothing: they name each content, and collect the attachments to hand back. */
export function handBackStores(): { stores: DecodeStores; handedBack: Buffer[] } {
  const handedBack: Buffer[] = [];
  const named = (bytes: Buffer): PackLocation => ({ pack: '', offset: 0, size: bytes.length, sha256: sha256(bytes) });
  return {
    handedBack,
    stores: {
      raw: { put: async (bytes) => named(bytes) },
      attachments: {
        async put(bytes) {
          handedBack.push(bytes);
          return named(bytes);
        },
      },
    },
  };
}

/** The main thread's side: keeps the raw mail, has the workers decode it, keeps what they hand back. */
export function keepingHandedBack(workers: MailDecoder, stores: AppContentStores): MailDecoder & { workers: MailDecoder } {
  return {
    workers,
    async decode(input) {
      const raw = await stores.raw.put(input.raw);
      let decoded: DecodedMail;
      try {
        decoded = await workers.decode(input);
      } catch (err) {
        if (err instanceof QuarantineMail) throw new QuarantineMail(err.message, raw);
        throw err;
      }
      // Decoded in this thread after all (workers that cannot start): the app's stores kept everything.
      if (!decoded.handedBack) return decoded;
      const { handedBack, ...mail } = decoded;
      const kept = new Map<string, PackLocation>();
      // Structured cloning delivered plain Uint8Arrays.
      for (const bytes of handedBack) {
        const location = await stores.attachments.put(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        kept.set(location.sha256, location);
      }
      const attachments = mail.attachments.map((a) => {
        const location = kept.get(a.location.sha256);
        if (!location) throw new Error(`decode worker handed back no bytes for attachment ${a.location.sha256}`);
        return { ...a, location };
      });
      return { ...mail, rawLocation: raw, attachments };
    },
    close: () => workers.close(),
  };
}
