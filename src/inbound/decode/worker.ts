// The decode worker: receives raw mails, answers with decoded mail or the reason it cannot be.
import { parentPort } from 'node:worker_threads';
import { QuarantineMail } from '../filter-failures.ts';
import type { DecodeInput } from './decoded-mail.ts';
import type { PackLocation } from '../../store/pack-store.ts';
import { decodeMail } from './decode.ts';

export type DecodeRequest = { id: number } & DecodeInput;
export type DecodeReply =
  | { ready: true }
  | { id: number; decoded: Awaited<ReturnType<typeof decodeMail>> }
  | { id: number; error: string; quarantine: boolean; rawLocation?: PackLocation };

const port = parentPort!;
// One mail at a time, in arrival order: the pool relies on the oldest job being the running one.
let chain = Promise.resolve();
port.on('message', (request: DecodeRequest) => {
  chain = chain.then(() => answer(request));
});
port.postMessage({ ready: true } satisfies DecodeReply);

async function answer({ id, raw, ...input }: DecodeRequest): Promise<void> {
  let reply: DecodeReply;
  try {
    // Structured cloning delivered a plain Uint8Array; the filters expect a Buffer.
    reply = { id, decoded: await decodeMail({ raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), ...input }) };
  } catch (err) {
    reply = { id, error: (err as Error).message, quarantine: err instanceof QuarantineMail, rawLocation: (err as QuarantineMail).rawLocation };
  }
  port.postMessage(reply);
}
