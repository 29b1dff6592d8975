import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSecretBox,
  parseSecretKeys,
  resealTrackerSecrets,
  SecretBoxError,
  secretBoxFromConfig,
} from './secret-box.server';

describe('the secret box for tracker tokens', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('seals so that the token is not in the stored text, and opens it again', () => {
    const box = createSecretBox([oldKey]);
    const sealed = box.seal('ATATT3x-very-secret-token');
    expect(sealed).not.toContain('very-secret');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed)).toBe('ATATT3x-very-secret-token');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a tampered value and a value sealed by a key it does not have', () => {
    const box = createSecretBox([oldKey]);
    const sealed = box.seal('token');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('forged').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(SecretBoxError);
    expect(() => createSecretBox([newKey]).open(sealed)).toThrow(/no longer configured/);
    expect(() => box.open('plain text')).toThrow(SecretBoxError);
  });

  it('rotates: a new first key opens old values, which are marked for re-sealing', () => {
    const before = createSecretBox([oldKey]).seal('token');
    const rotated = createSecretBox([newKey, oldKey]);
    expect(rotated.open(before)).toBe('token');
    expect(rotated.needsReseal(before)).toBe(true);
    const resealed = rotated.seal(rotated.open(before));
    expect(rotated.needsReseal(resealed)).toBe(false);
    expect(createSecretBox([newKey]).open(resealed)).toBe('token');
  });

  it('reads TRACKER_SECRET_KEYS in base64 or base64url and refuses keys of the wrong size', () => {
    const keys = parseSecretKeys(`${newKey.toString('base64')},${oldKey.toString('base64url')}`);
    expect(keys.map((k) => k.equals(newKey) || k.equals(oldKey))).toEqual([true, true]);
    expect(() => createSecretBox([randomBytes(16)])).toThrow(/32 bytes/);
  });

  it('without configured keys: a key file readable by its owner only on the embedded database, none on a shared one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'refinery-box-'));
    try {
      const box = secretBoxFromConfig({ DATA_DIR: dir })!;
      const file = path.join(dir, 'tracker-secret.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const again = secretBoxFromConfig({ DATA_DIR: dir })!;
      expect(again.open(box.seal('kept across restarts'))).toBe('kept across restarts');
      expect(readFileSync(file, 'utf8').trim()).toHaveLength(44);
      expect(secretBoxFromConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://x' })).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-seals the stored secrets after a rotation, so the old key can go', async () => {
    const { openTestDatabase } = await import('../../../db/test-database');
    const { trackerConnections } = await import('../../../db/schema');
    const { seedTeam } = await import('~/services/testing/team.server');
    const database = await openTestDatabase('pglite');
    try {
      const team = await seedTeam(database.db);
      const before = createSecretBox([oldKey]);
      await database.db.insert(trackerConnections).values({
        productId: team.productId,
        kind: 'jira_dc',
        baseUrl: 'https://jira.example.com',
        secret: before.seal('pat'),
        webhookSecret: before.seal('hook'),
      });
      const rotated = createSecretBox([newKey, oldKey]);
      expect(await resealTrackerSecrets(database.db, rotated)).toBe(1);
      expect(await resealTrackerSecrets(database.db, rotated)).toBe(0);
      const [row] = await database.db.select().from(trackerConnections);
      const onlyNew = createSecretBox([newKey]);
      expect([onlyNew.open(row.secret), onlyNew.open(row.webhookSecret)]).toEqual(['pat', 'hook']);
    } finally {
      await database.close();
    }
  });
});
