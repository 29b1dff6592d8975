import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256';

describe('sha256Hex', () => {
  it('gives the standard digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('agrees with node:crypto across block boundaries and non-ASCII text', () => {
    for (const text of [
      'a'.repeat(55),
      'b'.repeat(56),
      'c'.repeat(64),
      'd'.repeat(1000),
      'Étant donné 予約 🎉',
    ])
      expect(sha256Hex(text), text.slice(0, 10)).toBe(
        createHash('sha256').update(text, 'utf8').digest('hex'),
      );
  });
});
