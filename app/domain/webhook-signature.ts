import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook delivery is signed (decision 0041). The receiver gets
 *
 *   X-Refinery-Timestamp: <unix seconds when this attempt was sent>
 *   X-Refinery-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the webhook's secret>
 *
 * and checks it over the raw bytes it received (before parsing the JSON), refusing timestamps too far from its
 * clock (a replayed old delivery). The timestamp is inside the signed text, so it cannot be changed on its own.
 */
export const signatureHeader = 'X-Refinery-Signature';
export const timestampHeader = 'X-Refinery-Timestamp';
export const eventHeader = 'X-Refinery-Event';
export const deliveryHeader = 'X-Refinery-Delivery';

export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (our tests do it too): true only when the signature is the HMAC of exactly this timestamp
 * and body with this secret, compared in constant time, and the timestamp is within `toleranceSeconds` of `now`.
 */
export function verifySignature(
  secret: string,
  headers: { signature: string | null | undefined; timestamp: string | null | undefined },
  body: string,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, seconds, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
