import { describe, expect, it } from 'vitest';
import { formatDocumentName, parseDocumentName } from './document-names';

const id = '0b7e5c1e-8f1a-4c2b-9d3e-4f5a6b7c8d9e';

describe('document names', () => {
  it('round-trips a product document name', () => {
    const name = formatDocumentName({ kind: 'product', id });
    expect(name).toBe(`product:${id}`);
    expect(parseDocumentName(name)).toEqual({ kind: 'product', id });
  });
  it('round-trips session and item document names', () => {
    for (const kind of ['session', 'item'] as const) {
      expect(parseDocumentName(formatDocumentName({ kind, id }))).toEqual({ kind, id });
    }
  });
  it('refuses unknown kinds, bad ids and junk', () => {
    for (const bad of [
      '',
      'product',
      `secret:${id}`,
      'product:1',
      `product:${id}:x`,
      `PRODUCT:${id}`,
      'x'.repeat(500),
    ]) {
      expect(parseDocumentName(bad)).toBeNull();
    }
  });
  it('refuses to format an invalid id', () => {
    expect(() => formatDocumentName({ kind: 'product', id: '../etc' })).toThrow();
  });
});
