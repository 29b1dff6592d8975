import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, webhookTestDeps } from '~/services/testing/webhook-receiver.server';
import { sendDue } from '~/services/webhooks/worker.server';
import type { Database } from '../../db/client';
import { openTestDatabase, testBackends } from '../../db/test-database';
import { apiClient, apiTeam, type CallOptions, testServices } from './test-harness.server';

describe.each(testBackends)('webhooks through the API on %s', (kind) => {
  let database: Database;
  let call: ReturnType<typeof apiClient>;
  let tokens: Record<string, string>;
  let productId: string;
  let otherProductId: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let harness: ReturnType<typeof webhookTestDeps>;
  const as = (token: string, body?: unknown): CallOptions => ({ token, body });
  const post = (path: string, token: string, body: unknown = {}) => call('POST', path, as(token, body));
  const hooks = (id = productId) => `/products/${id}/webhooks`;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    receiver = await startReceiver();
    const services = testServices(database);
    // The receiver is on 127.0.0.1: private addresses allowed here, refused by a strict copy below.
    harness = webhookTestDeps(database.db);
    services.webhooks = { deps: harness.deps };
    call = apiClient(services);
    ({ tokens, productId } = await apiTeam(call, {
      team: 'team_member',
      stakeholder: 'stakeholder',
      outsider: null,
    }));
    otherProductId = (await post('/products', tokens.outsider, { name: 'Elsewhere' })).json.id;
  });
  afterAll(async () => {
    await receiver.close();
    await database.close();
  });

  it('adds a webhook with its secret shown once, lists it without, pings it and shows the delivery in the log', async () => {
    const created = await post(hooks(), tokens.po, { url: receiver.url, events: ['decision.*'] });
    expect(created.status).toBe(201);
    const { webhook, secret } = created.json;
    expect(secret).toMatch(/^whsec_/);
    expect(webhook).toMatchObject({ url: receiver.url, events: ['decision.*'], active: true, pending: 0 });
    const listed = await call('GET', hooks(), as(tokens.po));
    expect(listed.json.webhooks.map((w: { id: string }) => w.id)).toEqual([webhook.id]);
    expect(listed.text).not.toContain(secret);

    expect((await post(`${hooks()}/${webhook.id}/ping`, tokens.po)).status).toBe(202);
    await sendDue(harness.deps, 'api-test');
    const log = await call('GET', `${hooks()}/${webhook.id}/deliveries`, as(tokens.po));
    expect(log.status).toBe(200);
    expect(log.json.deliveries[0]).toMatchObject({
      eventType: 'ping',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
    });
    expect(log.text).not.toContain(secret);

    const rotated = await post(`${hooks()}/${webhook.id}/rotate-secret`, tokens.po);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(secret);

    // Adding, rotating: in the decision log, by host only (a chat address can be a secret itself).
    const decisions = await call('GET', `/products/${productId}/decisions`, as(tokens.stakeholder));
    const kinds = decisions.json.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['webhook_added', 'webhook_secret_rotated']));
    expect(decisions.text).not.toContain('/hook');
    expect(decisions.text).not.toContain(secret);

    // Retrying a delivered one is refused.
    const deliveryId = log.json.deliveries[0].id;
    expect(
      (await post(`${hooks()}/${webhook.id}/deliveries/${deliveryId}/redeliver`, tokens.po)).status,
    ).toBe(409);
    expect((await call('DELETE', `${hooks()}/${webhook.id}`, as(tokens.po))).status).toBe(204);
    expect((await call('GET', hooks(), as(tokens.po))).json.webhooks).toEqual([]);
  });

  it('pauses a webhook: nothing is sent or queued for it; resumed, what was waiting goes out in order', async () => {
    const { webhook } = (await post(hooks(), tokens.po, { url: receiver.url })).json;
    const put = (token: string, body: unknown, id = webhook.id) =>
      call('PUT', `${hooks()}/${id}/active`, as(token, body));
    const sent = () => receiver.received.filter((r) => r.headers['x-refinery-event'] === 'ping').length;
    // One test event waits; then the webhook is paused.
    expect((await post(`${hooks()}/${webhook.id}/ping`, tokens.po)).status).toBe(202);
    const before = sent();
    const paused = await put(tokens.po, { active: false });
    expect(paused.status).toBe(200);
    expect(paused.json).toEqual({ active: false });
    // Pausing twice changes nothing (no second decision).
    expect((await put(tokens.po, { active: false })).json).toEqual({ active: false });
    const listed = await call('GET', hooks(), as(tokens.po));
    expect(listed.json.webhooks.find((w: { id: string }) => w.id === webhook.id)).toMatchObject({
      active: false,
      pending: 1,
    });
    // While paused: a test is refused with the reason, nothing is sent, and a new decision is not queued for it.
    const refusedPing = await post(`${hooks()}/${webhook.id}/ping`, tokens.po);
    expect(refusedPing.status).toBe(409);
    expect(refusedPing.text).toContain('paused');
    await sendDue(harness.deps, 'api-test');
    expect(sent()).toBe(before);
    await post(`/products/${productId}/items`, tokens.po, { title: 'Made while paused' });
    const whilePaused = await call('GET', `${hooks()}/${webhook.id}/deliveries`, as(tokens.po));
    expect(whilePaused.json.deliveries.map((d: { eventType: string }) => d.eventType)).toEqual(['ping']);

    // Resumed: the waiting test event goes out.
    expect((await put(tokens.po, { active: true })).json).toEqual({ active: true });
    await sendDue(harness.deps, 'api-test');
    expect(sent()).toBe(before + 1);
    const decisions = await call('GET', `/products/${productId}/decisions`, as(tokens.po));
    const kinds = decisions.json.entries.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'webhook_paused')).toHaveLength(1);
    expect(kinds).toContain('webhook_resumed');

    // Only the product owner, only this product's webhook, only a boolean.
    for (const who of ['team', 'stakeholder'])
      expect((await put(tokens[who], { active: false })).status).toBe(403);
    expect((await put(tokens.outsider, { active: false })).status).toBe(404);
    const theirs = (await post(hooks(otherProductId), tokens.outsider, { url: receiver.url })).json.webhook
      .id;
    expect((await put(tokens.po, { active: false }, theirs)).status).toBe(404);
    expect((await call('DELETE', `${hooks(otherProductId)}/${theirs}`, as(tokens.outsider))).status).toBe(
      204,
    );
    for (const body of [{}, { active: 'no' }, { active: 0 }, { active: false, extra: 1 }, null])
      expect((await put(tokens.po, body)).status, JSON.stringify(body)).toBe(400);
    expect((await call('GET', hooks(), as(tokens.po))).json.webhooks[0].active).toBe(true);
  });

  it('refuses the team and stakeholders (403), outsiders (404), and another product’s webhook through this product (404)', async () => {
    const mine = (await post(hooks(), tokens.po, { url: receiver.url })).json.webhook.id as string;
    const theirs = (await post(hooks(otherProductId), tokens.outsider, { url: receiver.url })).json.webhook
      .id as string;
    for (const who of ['team', 'stakeholder']) {
      expect((await call('GET', hooks(), as(tokens[who]))).status, who).toBe(403);
      expect((await post(hooks(), tokens[who], { url: receiver.url })).status, who).toBe(403);
      expect((await call('DELETE', `${hooks()}/${mine}`, as(tokens[who]))).status, who).toBe(403);
      expect((await call('GET', `${hooks()}/${mine}/deliveries`, as(tokens[who]))).status, who).toBe(403);
      expect((await post(`${hooks()}/${mine}/ping`, tokens[who])).status, who).toBe(403);
      expect((await post(`${hooks()}/${mine}/rotate-secret`, tokens[who])).status, who).toBe(403);
    }
    expect((await call('GET', hooks(), as(tokens.outsider))).status).toBe(404);
    expect((await call('GET', `${hooks()}/${mine}/deliveries`, as(tokens.outsider))).status).toBe(404);
    // The product owner of this product, naming the other product's webhook under this product: not found.
    for (const [method, path] of [
      ['DELETE', `${hooks()}/${theirs}`],
      ['GET', `${hooks()}/${theirs}/deliveries`],
      ['POST', `${hooks()}/${theirs}/ping`],
      ['POST', `${hooks()}/${theirs}/rotate-secret`],
      ['POST', `${hooks()}/${theirs}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`],
      ['POST', `${hooks()}/not-a-uuid/ping`],
    ] as const)
      expect((await call(method, path, as(tokens.po, method === 'POST' ? {} : undefined))).status, path).toBe(
        404,
      );
    // …and its own product's name does not reach the other one either.
    expect((await call('GET', hooks(otherProductId), as(tokens.po))).status).toBe(404);
    expect((await call('GET', hooks(otherProductId), as(tokens.outsider))).json.webhooks).toHaveLength(1);
  });

  it('refuses malformed, private and huge input (400) and a private address unless allowed', async () => {
    const strict = testServices(database);
    strict.webhooks = { deps: webhookTestDeps(database.db, { allowPrivateUrls: false }).deps };
    const strictCall = apiClient(strict);
    for (const url of [
      receiver.url,
      'https://127.0.0.1/hook',
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://localhost:8080/',
      'http://hooks.example.com/',
      'javascript:alert(1)',
      'hooks.example.com',
    ]) {
      const refused = await strictCall('POST', hooks(), as(tokens.po, { url }));
      expect(refused.status, url).toBe(400);
    }
    expect(
      (await strictCall('POST', hooks(), as(tokens.po, { url: 'https://hooks.example.com/x' }))).status,
    ).toBe(201);
    for (const body of [
      {},
      { url: '' },
      { url: 42 },
      { url: `https://hooks.example.com/${'x'.repeat(5000)}` },
      { url: receiver.url, events: ['<script>'] },
      { url: receiver.url, events: Array.from({ length: 1000 }, (_, i) => `decision.k${i}`) },
      { url: receiver.url, events: 'decision.*' },
      { url: receiver.url, admin: true },
    ])
      expect((await post(hooks(), tokens.po, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    const refused = await post(hooks(), tokens.po, { url: 'ftp://hooks.example.com/' });
    expect(JSON.stringify(refused.json)).toContain('https://');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/products/{productId}/webhooks',
        '/products/{productId}/webhooks/{webhookId}',
        '/products/{productId}/webhooks/{webhookId}/deliveries',
        '/products/{productId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
      ]),
    );
  });
});
