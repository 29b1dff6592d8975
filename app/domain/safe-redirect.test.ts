import { describe, expect, it } from 'vitest';
import { defaultRedirect, safeRedirect } from './safe-redirect';
import { redirectBypasses } from './safe-redirect-bypasses';

describe('safeRedirect', () => {
  it.each(redirectBypasses)('refuses %j', (to) => {
    expect(safeRedirect(to)).toBe(defaultRedirect);
  });

  it('keeps a same-origin path with its query and hash', () => {
    expect(safeRedirect('/products/p1/items/i2')).toBe('/products/p1/items/i2');
    expect(safeRedirect('/invites/abc?x=1&y=%2F#top')).toBe('/invites/abc?x=1&y=%2F#top');
    expect(safeRedirect('/products/a%20b')).toBe('/products/a%20b');
  });

  it('normalises dot segments instead of passing them on', () => {
    expect(safeRedirect('/products/../settings/tokens')).toBe('/settings/tokens');
  });

  it('uses the fallback for a missing, non-string or oversized value', () => {
    expect(safeRedirect(null)).toBe(defaultRedirect);
    expect(safeRedirect(undefined, '/elsewhere')).toBe('/elsewhere');
    expect(safeRedirect(42)).toBe(defaultRedirect);
    expect(safeRedirect(`/${'a'.repeat(3000)}`)).toBe(defaultRedirect);
  });

  it('never answers with anything a Location header or a browser could take off-site', () => {
    for (const to of redirectBypasses) {
      const target = safeRedirect(to);
      expect(new URL(target, 'https://app.example').origin).toBe('https://app.example');
      expect([...target].some((c) => c.charCodeAt(0) < 0x20 || c === '\\')).toBe(false);
    }
  });
});
