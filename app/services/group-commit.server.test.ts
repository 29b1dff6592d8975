import { describe, expect, it } from 'vitest';
import { groupCommit, maxBatch } from './group-commit.server';

/** A writer that records its batches and answers each request with its double, refusing negative numbers. */
function recorder(fail?: (batch: number[]) => boolean) {
  const batches: number[][] = [];
  const write = async (batch: number[]) => {
    batches.push(batch);
    await new Promise((resolve) => setImmediate(resolve));
    if (fail?.(batch)) throw new Error(`batch ${batch.join(',')} failed`);
    return batch.map((n) => (n < 0 ? new Error(`refused ${n}`) : n * 2));
  };
  return { batches, write };
}

describe('group commit', () => {
  it('writes a request alone at once, and gathers those that arrive meanwhile into the next batch', async () => {
    const owner = {};
    const { batches, write } = recorder();
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => groupCommit(owner, 'k', n, write)));
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('answers each request on its own: one refusal does not refuse the others', async () => {
    const owner = {};
    const { write } = recorder();
    const results = await Promise.allSettled([1, -2, 3].map((n) => groupCommit(owner, 'k', n, write)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      2,
      'refused -2',
      6,
    ]);
  });

  it('writes the requests of a failed batch one at a time, so only the bad one fails', async () => {
    const owner = {};
    const { batches, write } = recorder((batch) => batch.includes(13));
    const results = await Promise.allSettled([1, 2, 13, 4].map((n) => groupCommit(owner, 'k', n, write)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([[1], [2, 13, 4], [2], [13], [4]]);
  });

  it('keeps keys and owners apart, and bounds a batch', async () => {
    const owner = {};
    const a = recorder();
    const b = recorder();
    await Promise.all([
      ...[1, 2, 3].map((n) => groupCommit(owner, 'a', n, a.write)),
      ...[4, 5].map((n) => groupCommit(owner, 'b', n, b.write)),
    ]);
    expect(a.batches.flat()).toEqual([1, 2, 3]);
    expect(b.batches.flat()).toEqual([4, 5]);

    const big = recorder();
    const many = Array.from({ length: maxBatch + 10 }, (_, i) => i);
    await Promise.all(many.map((n) => groupCommit(owner, 'k', n, big.write)));
    expect(big.batches.map((batch) => batch.length)).toEqual([1, maxBatch, 9]);
  });
});
