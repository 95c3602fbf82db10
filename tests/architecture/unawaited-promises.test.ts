import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findUnawaitedPromises } from './unawaited-promises.ts';

const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

describe('promises in src/ are awaited or voided on purpose', () => {
  it('no promise is dropped, tested as a condition, printed, or returned to a synchronous array callback', () => {
    const found = findUnawaitedPromises(tsconfig, (file) => file.startsWith('src/') || file.startsWith('bench/') || file.startsWith('scripts/'));
    expect(found.map((f) => `${f.file}:${f.line} ${f.why}: ${f.text}`)).toEqual([]);
  }, 120_000);
});
