import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"ping"}';
  const now = new Date('2026-12-03T04:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);

  it('is the hex HMAC-SHA256 of "<timestamp>.<body>" with the secret, as a receiver computes it', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signPayload(secret, ts, body)).toBe(`sha256=${expected}`);
    expect(
      verifySignature(secret, { signature: `sha256=${expected}`, timestamp: String(ts) }, body, now),
    ).toBe(true);
  });

  it('refuses another secret, a changed body, a changed timestamp, an old timestamp and junk', () => {
    const signature = signPayload(secret, ts, body);
    const ok = { signature, timestamp: String(ts) };
    expect(verifySignature('other', ok, body, now)).toBe(false);
    expect(verifySignature(secret, ok, `${body} `, now)).toBe(false);
    expect(verifySignature(secret, { signature, timestamp: String(ts + 1) }, body, now)).toBe(false);
    const old = ts - 3600;
    expect(
      verifySignature(
        secret,
        { signature: signPayload(secret, old, body), timestamp: String(old) },
        body,
        now,
      ),
    ).toBe(false);
    expect(verifySignature(secret, { signature: 'sha256=00', timestamp: String(ts) }, body, now)).toBe(false);
    expect(verifySignature(secret, { signature, timestamp: 'soon' }, body, now)).toBe(false);
    expect(verifySignature(secret, { signature: null, timestamp: String(ts) }, body, now)).toBe(false);
  });
});
