import { describe, expect, it } from 'vitest';
import { issueLiveToken, verifyLiveToken } from './signed-token';

const secret = 'a'.repeat(40);

describe('live tokens', () => {
  it('verifies a fresh token and returns its subject', () => {
    const token = issueLiveToken(secret, 'user-1', 'user', 60);
    expect(verifyLiveToken(secret, token)).toEqual({
      ok: true,
      payload: expect.objectContaining({ sub: 'user-1', kind: 'user' }),
    });
  });
  it('refuses an expired token', () => {
    const token = issueLiveToken(secret, 'user-1', 'user', 60, Date.now() - 61_000);
    expect(verifyLiveToken(secret, token)).toEqual({ ok: false, reason: 'expired' });
  });
  it('refuses a token signed with another secret or altered', () => {
    const token = issueLiveToken('b'.repeat(40), 'user-1', 'user');
    expect(verifyLiveToken(secret, token)).toEqual({ ok: false, reason: 'signature' });
    const good = issueLiveToken(secret, 'user-1', 'user');
    const [, sig] = good.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: 'admin', kind: 'user', exp: 9e9 })).toString(
      'base64url',
    );
    expect(verifyLiveToken(secret, `${forgedBody}.${sig}`)).toEqual({ ok: false, reason: 'signature' });
  });
  it('refuses junk', () => {
    for (const junk of [undefined, '', 'abc', 'a.b.c', 42, 'x'.repeat(2000)]) {
      expect(verifyLiveToken(secret, junk).ok).toBe(false);
    }
  });
});
