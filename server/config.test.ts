import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('applies the documented defaults on an empty environment', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ PORT: 3000, DATA_DIR: './data', DEMO_DATA: true });
    expect(r.config.DATABASE_URL).toBeUndefined();
  });

  it('names the variable and what is expected in one line', () => {
    const r = parseConfig({ PORT: 'abc' });
    expect(r).toEqual({
      ok: false,
      message: expect.stringMatching(/^Invalid configuration: PORT expected a port number/),
    });
    if (!r.ok) expect(r.message).not.toContain('\n');
  });

  it('refuses a DATABASE_URL that is not postgres and does not echo it', () => {
    const r = parseConfig({ DATABASE_URL: 'mysql://user:secret@host/db' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('DATABASE_URL expected a postgres:// URL');
      expect(r.message).not.toContain('secret');
    }
  });

  it('parses booleans and refuses nonsense', () => {
    const off = parseConfig({ DEMO_DATA: 'false' });
    expect(off.ok && off.config.DEMO_DATA).toBe(false);
    const bad = parseConfig({ DEMO_DATA: 'maybe' });
    expect(bad).toMatchObject({
      ok: false,
      message: expect.stringContaining('DEMO_DATA expected true or false'),
    });
  });

  it('requires a long enough session secret', () => {
    expect(parseConfig({ SESSION_SECRET: 'short' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('SESSION_SECRET'),
    });
  });
});
