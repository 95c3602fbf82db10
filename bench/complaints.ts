// Cost of recognising a complaint, which runs on every new ticket's first mail, against the priority
// keyword scan that already runs on every customer mail (baseline, same texts, same run): a typical
// mail, and a 5 MB pasted log full of negations and the complaint words (each occurrence is checked
// for a negation before it).
import { complaintMatcher } from '../src/complaints/detect.ts';
import { configSchema } from '../src/config/schema.ts';
import { keywordMatcher } from '../src/priority/keywords.ts';

const config = configSchema.parse({});
const complaint = complaintMatcher(config.complaints);
const priority = keywordMatcher(config.priority.keywords);

const typical = [
  'Hello, my order arrived yesterday but the charger is missing from the box.',
  'I tried resetting the device as described in your FAQ, but the light keeps blinking red.',
  '您好，我上周下的订单还没有发货，请问什么时候能到？',
].join('\n\n');
const logLine = 'ERROR no response from node 7: not acceptable, complaint queue full; 没有投诉 不满意 retry\n';
const log = logLine.repeat(Math.ceil((5 * 1024 * 1024) / Buffer.byteLength(logLine)));

function perCall(fn: (text: string) => unknown, text: string, minMs: number): number {
  fn(text);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn(text);
    calls++;
  }
  return (performance.now() - start) / calls;
}

for (const [name, text, minMs] of [
  ['typical mail', typical, 500],
  ['5 MB log', log, 3000],
] as const) {
  const base = perCall(priority, text, minMs);
  const ours = perCall(complaint, text, minMs);
  const unit = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(1)} ms`);
  console.log(`${name.padEnd(13)} complaint ${unit(ours).padStart(10)}  priority keywords (baseline) ${unit(base).padStart(10)}  ratio ${(ours / base).toFixed(2)}`);
}
