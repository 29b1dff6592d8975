import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { colorClass, colorFor, presenceColors } from './use-item-text';

describe('presence colours', () => {
  it('gives a person the same colour every time, from the palette', () => {
    const id = '0b7e5c1e-8f1a-4c2b-9d3e-4f5a6b7c8d9e';
    expect(colorFor(id)).toBe(colorFor(id));
    expect(presenceColors).toContain(colorFor(id));
  });

  it('spreads people over the palette', () => {
    const ids = Array.from(
      { length: 200 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(new Set(ids.map(colorFor)).size).toBe(presenceColors.length);
  });

  it('maps a colour to its class, and anything else to the neutral one', () => {
    expect(colorClass(presenceColors[2])).toBe('live-color-2');
    expect(colorClass('red; background: url(x)')).toBe(`live-color-${presenceColors.length - 1}`);
    expect(colorClass(undefined)).toBe(`live-color-${presenceColors.length - 1}`);
  });

  it('has one class per colour in live-text.css, with the same values', () => {
    const css = readFileSync(new URL('../styles/live-text.css', import.meta.url), 'utf8');
    const classes = [...css.matchAll(/\.live-color-(\d+)\s*\{\s*--person:\s*(#[0-9a-f]{6});\s*\}/g)].map(
      (m) => [Number(m[1]), m[2]],
    );
    expect(classes).toEqual(presenceColors.map((color, i) => [i, color]));
  });
});

describe('readRefusal', () => {
  it('says in words why an edit was refused for size, and ignores other notices', async () => {
    const { readRefusal } = await import('./use-item-text');
    expect(
      readRefusal(JSON.stringify({ type: 'document-too-large', limitBytes: 2 * 1024 * 1024 })),
    ).toContain('size limit (2 MB)');
    expect(readRefusal(JSON.stringify({ type: 'something-else' }))).toBeNull();
    expect(readRefusal('not json')).toBeNull();
  });
});
