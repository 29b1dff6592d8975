import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { trackerConnections } from '../../../db/schema';

/**
 * Encrypts tracker secrets (API tokens, personal access tokens, webhook secrets) at rest with AES-256-GCM
 * (decision 0038). A sealed value names the key that sealed it: `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url.
 * The first key seals; every key opens, so a key can be rotated: put the new key first, restart every copy (each
 * re-seals what an older key sealed, `needsReseal`), then drop the old key.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** sealed by a key other than the first: re-seal it */
  needsReseal(sealed: string): boolean;
}

export class SecretBoxError extends Error {}

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('base64url').slice(0, 8);

export function createSecretBox(keys: readonly Buffer[]): SecretBox {
  if (keys.length === 0) throw new SecretBoxError('No key to encrypt tracker secrets with');
  for (const key of keys)
    if (key.length !== 32) throw new SecretBoxError('A tracker secret key must be 32 bytes');
  const byId = new Map(keys.map((key) => [keyIdOf(key), key]));
  const sealingId = keyIdOf(keys[0]);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys[0], iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        'v1',
        sealingId,
        iv.toString('base64url'),
        tag.toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    open(sealed) {
      const [version, keyId, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || body === undefined) throw new SecretBoxError('Not a sealed tracker secret');
      const key = byId.get(keyId);
      if (!key)
        throw new SecretBoxError(
          'A tracker secret was encrypted with a key that is no longer configured (TRACKER_SECRET_KEYS)',
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SecretBoxError('A tracker secret could not be decrypted (tampered with, or the wrong key)');
      }
    },
    needsReseal: (sealed) => sealed.split('.')[1] !== sealingId,
  };
}

/** `TRACKER_SECRET_KEYS` as keys: comma-separated base64 (or base64url), 32 bytes each. */
export const parseSecretKeys = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));

/**
 * The configured keys; without them, on the embedded database, a key generated once into the data directory
 * (a file of its own, readable by this user only; a copy of the whole folder holds it too, which is why a deployment
 * that cares sets TRACKER_SECRET_KEYS and keeps the key elsewhere). A shared
 * server (DATABASE_URL) needs the keys configured: every copy must open what another sealed.
 */
export function secretBoxFromConfig(config: {
  TRACKER_SECRET_KEYS?: string;
  DATABASE_URL?: string;
  DATA_DIR: string;
}): SecretBox | null {
  if (config.TRACKER_SECRET_KEYS) return createSecretBox(parseSecretKeys(config.TRACKER_SECRET_KEYS));
  if (config.DATABASE_URL) return null;
  const file = path.join(config.DATA_DIR, 'tracker-secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return createSecretBox(parseSecretKeys(readFileSync(file, 'utf8')));
}

/**
 * After a key rotation (a new first key in TRACKER_SECRET_KEYS): re-seals every stored tracker secret that an
 * older key sealed, so the old key can be dropped once every copy has started with the new list.
 */
export async function resealTrackerSecrets(db: Db, box: SecretBox): Promise<number> {
  const rows = await db
    .select({
      productId: trackerConnections.productId,
      secret: trackerConnections.secret,
      webhookSecret: trackerConnections.webhookSecret,
    })
    .from(trackerConnections);
  let resealed = 0;
  for (const row of rows) {
    if (!box.needsReseal(row.secret) && !box.needsReseal(row.webhookSecret)) continue;
    await db
      .update(trackerConnections)
      .set({ secret: box.seal(box.open(row.secret)), webhookSecret: box.seal(box.open(row.webhookSecret)) })
      .where(eq(trackerConnections.productId, row.productId));
    resealed += 1;
  }
  return resealed;
}
