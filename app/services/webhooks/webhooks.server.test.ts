import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '~/domain/webhook-signature';
import { createItem } from '~/services/backlog/items.server';
import { setVoting } from '~/services/sessions/prioritisation.server';
import { createSession } from '~/services/sessions/sessions.server';
import { seedTeam } from '~/services/testing/team.server';
import { startReceiver, webhookTestDeps } from '~/services/testing/webhook-receiver.server';
import type { Database } from '../../../db/client';
import { webhookDeliveries, webhooks } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { refusedAtSend } from './url';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  pingWebhook,
  redeliver,
} from './webhooks.server';
import { deliveredKeptDays, pruneDelivered, sendDue } from './worker.server';

describe.each(testBackends)('webhooks deliver to a real receiver on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let harness: ReturnType<typeof webhookTestDeps>;
  const deps = () => harness.deps;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    harness = webhookTestDeps(database.db);
    await receiver?.close();
    receiver = await startReceiver();
    // Each test starts with no webhooks of its own left over.
    await database.db.delete(webhooks).where(eq(webhooks.productId, team.productId));
  });

  const add = async (events: string[] = []) =>
    createWebhook(deps(), team.productId, team.po, { url: receiver.url, events });
  const item = (title: string) => createItem(database.db, team.productId, team.dev, { title });
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body));

  it('posts every decision as a signed event that verifies with the webhook’s secret, and keeps the secret sealed', async () => {
    const { webhook, secret } = await add();
    expect(secret).toMatch(/^whsec_/);
    const [row] = await database.db.select().from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(row.secret).not.toContain(secret);
    expect(JSON.stringify(await listWebhooks(database.db, team.productId, team.po))).not.toContain(secret);

    const created = await item('Pay by invoice');
    expect(await sendDue(deps(), 'copy-1')).toBeGreaterThanOrEqual(1);
    const event = receiver.received.find((r) => r.headers['x-refinery-event'] === 'decision.created');
    expect(event).toBeDefined();
    const headers = {
      signature: String(event!.headers['x-refinery-signature']),
      timestamp: String(event!.headers['x-refinery-timestamp']),
    };
    expect(headers.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(secret, headers, event!.body)).toBe(true);
    expect(verifySignature('whsec_wrong', headers, event!.body)).toBe(false);
    const payload = JSON.parse(event!.body);
    expect(payload).toMatchObject({
      type: 'decision.created',
      productId: team.productId,
      data: { kind: 'created', itemId: created.id, actorId: team.dev },
    });
    expect(event!.headers['x-refinery-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(payload.occurredAt).getTime()).not.toBeNaN();
  });

  it('retries a 500 with backoff and delivers it on the next try once due', async () => {
    const { webhook } = await add();
    receiver.answer(500);
    await pingWebhook(database.db, team.productId, webhook.id, team.po);
    await sendDue(deps(), 'copy-1');
    let log = await listDeliveries(database.db, team.productId, webhook.id, team.po, { limit: 50 });
    expect(log.deliveries[0]).toMatchObject({
      eventType: 'ping',
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
    });
    expect(log.deliveries[0].responseExcerpt?.length).toBeLessThanOrEqual(300);
    const wait = log.deliveries[0].nextAttemptAt!.getTime() - Date.now();
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThanOrEqual(10_000);
    // Not due yet: nothing is sent.
    expect(await sendDue(deps(), 'copy-1')).toBe(0);
    harness.advance(10_001);
    await sendDue(deps(), 'copy-1');
    log = await listDeliveries(database.db, team.productId, webhook.id, team.po, { limit: 50 });
    expect(log.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });
    expect(receiver.received.map((r) => r.status)).toEqual([500, 200]);
    expect(receiver.received[0].headers['x-refinery-delivery']).toBe(
      receiver.received[1].headers['x-refinery-delivery'],
    );
    expect(receiver.received[0].body).toBe(receiver.received[1].body);
  });

  it('keeps the order per webhook: a later event waits while an earlier one is being retried', async () => {
    const { webhook } = await add(['decision.created']);
    receiver.answer(503);
    await item('First');
    await item('Second');
    await sendDue(deps(), 'copy-1');
    expect(bodies().map((b) => b.data.itemId && b.type)).toEqual(['decision.created']);
    harness.advance(10_001);
    await sendDue(deps(), 'copy-1');
    const titles = receiver.received.map((r) => r.status);
    expect(titles).toEqual([503, 200, 200]);
    const log = await listDeliveries(database.db, team.productId, webhook.id, team.po, { limit: 50 });
    expect(log.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    // The first item's event was sent (twice) before the second's.
    const first = bodies()[0].data.itemId;
    expect(bodies().map((b) => b.data.itemId)).toEqual([first, first, bodies()[2].data.itemId]);
    expect(bodies()[2].data.itemId).not.toBe(first);
  });

  it('fails a delivery for good after the last attempt, lets the next go, and "retry now" sends it again', async () => {
    harness = webhookTestDeps(database.db, { maxAttempts: 2 });
    const { webhook } = await add();
    receiver.answer(500, 500);
    await pingWebhook(database.db, team.productId, webhook.id, team.po);
    await pingWebhook(database.db, team.productId, webhook.id, team.po);
    await sendDue(deps(), 'copy-1');
    harness.advance(10_001);
    await sendDue(deps(), 'copy-1');
    const log = await listDeliveries(database.db, team.productId, webhook.id, team.po, { limit: 50 });
    expect(log.deliveries.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['failed', 2],
    ]);
    const failed = log.deliveries[1];
    expect(failed.nextAttemptAt).toBeNull();
    await expect(
      redeliver(database.db, team.productId, webhook.id, log.deliveries[0].id, team.po),
    ).rejects.toMatchObject({ code: 'conflict' });
    await redeliver(database.db, team.productId, webhook.id, failed.id, team.po);
    await sendDue(deps(), 'copy-1');
    const after = await listDeliveries(database.db, team.productId, webhook.id, team.po, { limit: 50 });
    expect(after.deliveries[1]).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('stops at once when the webhook is removed: what was waiting is not sent', async () => {
    const { webhook } = await add();
    await item('Never sent');
    await deleteWebhook(database.db, team.productId, webhook.id, team.po);
    expect(await sendDue(deps(), 'copy-1')).toBe(0);
    expect(receiver.received).toEqual([]);
    expect(
      await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhook.id)),
    ).toEqual([]);
  });

  it('sends only the events its filter takes, votes opening among them', async () => {
    await add(['votes.opened']);
    const itemId = (await item('Dark mode')).id;
    const session = await createSession(database.db, team.productId, team.po, {
      title: 'Q3 priorities',
      kind: 'prioritisation',
      agenda: [itemId],
      methods: ['dots'],
    } as never);
    await setVoting(database.db, session.id, team.po, 'open');
    await sendDue(deps(), 'copy-1');
    expect(bodies().map((b) => b.type)).toEqual(['votes.opened']);
    expect(bodies()[0].data).toMatchObject({ sessionId: session.id, sessionTitle: 'Q3 priorities' });
    // The event says nothing of who was told.
    expect(receiver.received[0].body).not.toContain(team.stakeholder);
  });

  it('lets one copy of the server send a webhook at a time: two copies sending at once send each event once', async () => {
    await add();
    for (const title of ['A', 'B', 'C']) await item(title);
    await Promise.all([sendDue(deps(), 'copy-1'), sendDue(deps(), 'copy-2')]);
    const ids = bodies().map((b) => b.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('refuses private addresses unless allowed, even a public name that resolves to one (an SSRF probe)', async () => {
    const strict = webhookTestDeps(database.db, {
      allowPrivateUrls: false,
      resolveHost: async () => ['10.0.0.7'],
    });
    for (const url of [
      receiver.url,
      'http://hooks.example.com/x',
      'https://localhost/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://user:pw@hooks.example.com/x',
      'file:///etc/passwd',
      'not a url',
    ])
      await expect(
        createWebhook(strict.deps, team.productId, team.po, { url, events: [] }),
        url,
      ).rejects.toMatchObject({ code: 'invalid' });
    // A public-looking name that resolves to the server's network: accepted as typed, refused at each send.
    const { webhook } = await createWebhook(strict.deps, team.productId, team.po, {
      url: 'https://hooks.example.com/refinery',
      events: [],
    });
    await pingWebhook(database.db, team.productId, webhook.id, team.po);
    await sendDue(strict.deps, 'copy-1');
    const log = await listDeliveries(database.db, team.productId, webhook.id, team.po, { limit: 5 });
    expect(log.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(log.deliveries[0].lastError).toContain('private network');
    expect(
      await refusedAtSend('https://hooks.example.com/', false, async () => ['93.184.216.34']),
    ).toBeNull();
  });

  it('lets only the product owner manage webhooks', async () => {
    const { webhook } = await add();
    for (const who of [team.dev, team.stakeholder]) {
      await expect(
        createWebhook(deps(), team.productId, who, { url: receiver.url, events: [] }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(listWebhooks(database.db, team.productId, who)).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(deleteWebhook(database.db, team.productId, webhook.id, who)).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
  });

  it('forgets deliveries delivered more than the kept days ago, and keeps what failed or still waits', async () => {
    const { webhook } = await add();
    for (let n = 0; n < 4; n++) await pingWebhook(database.db, team.productId, webhook.id, team.po);
    await sendDue(deps(), 'copy-1');
    const rows = await database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, webhook.id))
      .orderBy(webhookDeliveries.seq);
    expect(rows.map((row) => row.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    const day = 24 * 60 * 60 * 1000;
    const now = deps().now().getTime();
    const age = (days: number) => new Date(now - days * day);
    const [old, recent, oldFailed, oldPending] = rows;
    await database.db
      .update(webhookDeliveries)
      .set({ deliveredAt: age(deliveredKeptDays + 1) })
      .where(eq(webhookDeliveries.id, old.id));
    await database.db
      .update(webhookDeliveries)
      .set({ deliveredAt: age(deliveredKeptDays - 1) })
      .where(eq(webhookDeliveries.id, recent.id));
    await database.db
      .update(webhookDeliveries)
      .set({ status: 'failed', deliveredAt: null, lastAttemptAt: age(90) })
      .where(eq(webhookDeliveries.id, oldFailed.id));
    await database.db
      .update(webhookDeliveries)
      .set({ status: 'pending', deliveredAt: null, nextAttemptAt: age(-1) })
      .where(eq(webhookDeliveries.id, oldPending.id));

    expect(await pruneDelivered(deps())).toBe(1);
    const log = await listDeliveries(database.db, team.productId, webhook.id, team.po, { limit: 10 });
    expect(log.deliveries.map((d) => d.id).sort()).toEqual([recent.id, oldFailed.id, oldPending.id].sort());
    // Nothing more to forget: a second pass removes nothing.
    expect(await pruneDelivered(deps())).toBe(0);
  });
});
