import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived signed tokens (HMAC-SHA256) for the live channel: "<base64url payload>.<base64url signature>".
 * The payload carries the subject and an expiry; the server checks membership separately.
 */
export interface LiveTokenPayload {
  /** user id, or guest id for session guests (later issue) */
  sub: string;
  kind: 'user' | 'guest';
  /** expiry, seconds since the epoch */
  exp: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

function sign(secret: string, body: string): string {
  return createHmac('sha256', `live-token:${secret}`).update(body).digest('base64url');
}

export function issueLiveToken(
  secret: string,
  sub: string,
  kind: 'user' | 'guest',
  ttlSeconds = 300,
  now = Date.now(),
): string {
  const payload: LiveTokenPayload = { sub, kind, exp: Math.floor(now / 1000) + ttlSeconds };
  const body = b64(JSON.stringify(payload));
  return `${body}.${sign(secret, body)}`;
}

export type VerifyResult =
  | { ok: true; payload: LiveTokenPayload }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export function verifyLiveToken(secret: string, token: unknown, now = Date.now()): VerifyResult {
  if (typeof token !== 'string' || token.length > 1000) return { ok: false, reason: 'malformed' };
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'signature' };
  let payload: LiveTokenPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    typeof payload?.sub !== 'string' ||
    (payload.kind !== 'user' && payload.kind !== 'guest') ||
    typeof payload.exp !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (payload.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
