// The decode worker: receives raw mails, answers with decoded mail or the reason it cannot be.
import { parentPort } from 'node:worker_threads';
import { QuarantineMail } from '../filter-failures.ts';
import type { DecodeInput, DecodeStorage, DecodedMail } from './decoded-mail.ts';
import type { PackLocation } from '../../store/pack-store.ts';
import { decodeInWorker } from './decode.ts';

export type DecodeRequest = { id: number; storage: DecodeStorage } & DecodeInput;
export type DecodeReply =
  | { ready: true }
  | { id: number; decoded: DecodedMail }
  | { id: number; error: string; quarantine: boolean; rawLocation?: PackLocation };

const port = parentPort!;
// One mail at a time, in arrival order: the pool relies on the oldest job being the running one.
let chain = Promise.resolve();
port.on('message', (request: DecodeRequest) => {
  chain = chain.then(() => answer(request));
});
port.postMessage({ ready: true } satisfies DecodeReply);

async function answer({ id, raw, storage, ...input }: DecodeRequest): Promise<void> {
  let reply: DecodeReply;
  try {
    // Structured cloning delivered a plain Uint8Array; the filters expect a Buffer.
    reply = { id, decoded: await decodeInWorker({ raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), ...input }, storage) };
  } catch (err) {
    reply = { id, error: (err as Error).message, quarantine: err instanceof QuarantineMail, rawLocation: (err as QuarantineMail).rawLocation };
  }
  port.postMessage(reply);
}
