import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '~/api/test-harness.server';
import { describeDecision } from '~/components/backlog/decision-text';
import type { AppServices } from '~/context';
import { listDecisions } from '~/services/backlog/decisions.server';
import { runNotificationForm } from '~/services/notifications/notification-form.server';
import { notify } from '~/services/notifications/notify.server';
import { seedTeam } from '~/services/testing/team.server';
import { webhookTestDeps } from '~/services/testing/webhook-receiver.server';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { runWebhookForm } from './webhook-form.server';
import { listWebhooks } from './webhooks.server';

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe.each(testBackends)('the Webhooks and Notifications pages’ forms on %s', (kind) => {
  let database: Database;
  let services: AppServices;
  let team: Awaited<ReturnType<typeof seedTeam>>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    services = testServices(database);
    services.webhooks = { deps: webhookTestDeps(database.db, { allowPrivateUrls: false }).deps };
    team = await seedTeam(database.db);
  });
  afterAll(() => database.close());

  it('adds a webhook with its event types from one text field, shows the secret once, and says why an address is refused', async () => {
    const refused = await runWebhookForm(
      services,
      team.productId,
      team.po,
      form({ intent: 'add', url: 'https://10.0.0.1/hook' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.reply.result.error?.url).toEqual([
      'That address is on a private network; webhooks only go to public sites',
    ]);
    const added = await runWebhookForm(
      services,
      team.productId,
      team.po,
      form({
        intent: 'add',
        url: 'https://chat.example.com/hooks/1',
        events: 'votes.opened, decision.*\ndecision.*',
      }),
    );
    expect(added.status).toBe(200);
    expect(added.reply.secret).toMatch(/^whsec_/);
    const [hook] = await listWebhooks(database.db, team.productId, team.po);
    expect(hook.events).toEqual(['votes.opened', 'decision.*']);
    const log = await listDecisions(database.db, team.productId, team.stakeholder, {
      kind: 'webhook_added',
      limit: 5,
    });
    expect(describeDecision({ ...log.entries[0], actorName: 'Olivia PO' }, () => undefined)).toBe(
      'Olivia PO added a webhook to chat.example.com',
    );

    const bad = await runWebhookForm(
      services,
      team.productId,
      team.po,
      form({ intent: 'add', url: 'https://chat.example.com/x', events: '<script>' }),
    );
    expect(bad.status).toBe(400);
    // The team cannot use the form, and a made-up delivery is not found.
    expect(
      (await runWebhookForm(services, team.productId, team.dev, form({ intent: 'ping', webhookId: hook.id })))
        .status,
    ).toBe(403);
    const retry = await runWebhookForm(
      services,
      team.productId,
      team.po,
      form({ intent: 'retry', webhookId: hook.id, deliveryId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(retry.status).toBe(404);
    const rotated = await runWebhookForm(
      services,
      team.productId,
      team.po,
      form({ intent: 'rotate', webhookId: hook.id }),
    );
    expect(rotated.reply.secret).toMatch(/^whsec_/);
    expect(rotated.reply.secret).not.toBe(added.reply.secret);

    // Pause and resume from the page: the list says so, the decision log reads as a sentence, the team cannot.
    const paused = await runWebhookForm(
      services,
      team.productId,
      team.po,
      form({ intent: 'pause', webhookId: hook.id }),
    );
    expect(paused.status).toBe(200);
    expect(paused.reply.message).toContain('Webhook paused');
    expect((await listWebhooks(database.db, team.productId, team.po))[0].active).toBe(false);
    const pausedLog = await listDecisions(database.db, team.productId, team.po, {
      kind: 'webhook_paused',
      limit: 1,
    });
    expect(describeDecision({ ...pausedLog.entries[0], actorName: 'Olivia PO' }, () => undefined)).toBe(
      'Olivia PO paused the webhook to chat.example.com',
    );
    expect(
      (
        await runWebhookForm(
          services,
          team.productId,
          team.dev,
          form({ intent: 'resume', webhookId: hook.id }),
        )
      ).status,
    ).toBe(403);
    const resumed = await runWebhookForm(
      services,
      team.productId,
      team.po,
      form({ intent: 'resume', webhookId: hook.id }),
    );
    expect(resumed.reply.message).toContain('Webhook resumed');
    expect((await listWebhooks(database.db, team.productId, team.po))[0].active).toBe(true);
  });

  it('marks one’s own notification read, and refuses someone else’s', async () => {
    await notify(database.db, {
      productId: team.productId,
      kind: 'sprint_goal_at_risk',
      to: { userIds: [team.dev, team.stakeholder, team.po, 'not-a-member'] },
      actorId: team.po,
      text: 'The goal of Sprint 3 is at risk',
      link: `/products/${team.productId}/sprints`,
    });
    const { listNotifications } = await import('~/services/notifications/notify.server');
    const devs = await listNotifications(database.db, team.dev, { limit: 10 });
    expect(devs.notifications.map((n) => n.text)).toEqual(['The goal of Sprint 3 is at risk']);
    expect((await listNotifications(database.db, team.po, { limit: 10 })).notifications).toEqual([]);
    const id = devs.notifications[0].id;
    const refused = await runNotificationForm(services, team.stakeholder, form({ intent: 'read-one', id }));
    expect(refused.status).toBe(404);
    const junk = await runNotificationForm(services, team.dev, form({ intent: 'read-one', id: "x' or 1=1" }));
    expect(junk.status).toBe(404);
    const done = await runNotificationForm(services, team.dev, form({ intent: 'read-one', id }));
    expect(done).toMatchObject({ status: 200, reply: { message: 'Marked read.' } });
    expect((await runNotificationForm(services, team.dev, form({ intent: 'read-all' }))).reply.message).toBe(
      'Nothing was unread.',
    );
  });
});
