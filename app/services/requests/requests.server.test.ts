import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDecisions } from '~/services/backlog/decisions.server';
import { createItem, updateItem } from '~/services/backlog/items.server';
import { applyProposal, proposeOrder } from '~/services/backlog/proposals.server';
import { peopleWhoAskedFor } from '~/services/notifications/asked-for.server';
import { liveServices } from '~/services/testing/live-services.server';
import { seedTeam } from '~/services/testing/team.server';
import { firstError, messagesByField } from '~/utils/form-submission';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { runRequestCommand } from './commands.server';
import { runCriteriaForm } from './criteria-form.server';
import {
  publicRequestLimit,
  runFollowAnswerForm,
  runLinkRequestForm,
  runRequestForm,
} from './request-forms.server';
import {
  createRequestLink,
  followRequest,
  listRequests,
  requestOfItem,
  revokeRequestLink,
} from './requests.server';

const form = (entries: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries))
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
};

describe.each(testBackends)('requests, triage and agreed criteria on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
  });
  afterAll(() => database.close());

  it('sends by form, triages by form (a decline needs its reason), places an accepted item after a chosen one', async () => {
    const { services } = liveServices(database);
    const send = (userId: string, fields: Record<string, string>) =>
      runRequestForm(services, team.productId, userId, form({ intent: 'send', ...fields }));
    const sent = await send(team.stakeholder, {
      title: 'Invoices in PDF',
      problem: 'Customers print them',
      urgent: 'on',
    });
    expect(sent).toMatchObject({
      status: 200,
      reply: { message: 'Sent: “Invoices in PDF” is in the product owner’s inbox.' },
    });
    const missing = await send(team.stakeholder, { title: '', problem: '' });
    expect(missing.status).toBe(400);
    expect(messagesByField(missing.reply.result)).toMatchObject({ title: 'Give the request a short title' });

    const [request] = (await listRequests(database.db, team.productId, team.stakeholder)).requests;
    expect(request).toMatchObject({ title: 'Invoices in PDF', urgent: true, state: 'new' });
    const triage = (userId: string, fields: Record<string, string>) =>
      runRequestForm(
        services,
        team.productId,
        userId,
        form({ intent: 'triage', requestId: request.id, ...fields }),
      );

    const noReason = await triage(team.po, { action: 'decline', reason: '' });
    expect(noReason.status).toBe(400);
    expect(messagesByField(noReason.reply.result).reason).toBe(
      'Write the reason: nothing is declined without one',
    );
    const byTeam = await triage(team.dev, { action: 'decline', reason: 'No' });
    expect(byTeam.status).toBe(403);
    expect(firstError(byTeam.reply.result)?.message).toContain('product owner');

    const first = await createItem(database.db, team.productId, team.po, { title: 'First' });
    const second = await createItem(database.db, team.productId, team.po, { title: 'Second' });
    const accepted = await triage(team.po, { action: 'accept', position: 'after', afterItemId: first.id });
    expect(accepted).toMatchObject({
      status: 200,
      reply: { message: 'Accepted: “Invoices in PDF” is in the backlog.' },
    });
    const order = (await proposeOrder(database.db, team.productId, team.po, 'wsjf')).rows.map((r) => r.title);
    expect(order).toEqual(['First', 'Invoices in PDF', 'Second']);
    const [after] = (await listRequests(database.db, team.productId, team.stakeholder)).requests;
    expect(await requestOfItem(database.db, after.itemId as string)).toMatchObject({
      requesterName: 'Sam Stakeholder',
    });
    expect(second.id).toBeTruthy();
  });

  it('returns the request_answered event for notifications, and stamps the criteria version on triage and proposals', async () => {
    const { services } = liveServices(database);
    const criteria = await runCriteriaForm(
      services,
      team.productId,
      team.po,
      form({
        methods: ['wsjf', 'moscow'],
        businessValue: '2',
        timeCriticality: '1',
        riskReduction: '1',
        urgency: 'Legal',
      }),
    );
    expect(criteria).toMatchObject({ status: 200, reply: { message: 'Recorded as criteria v1.' } });
    const refused = await runCriteriaForm(
      services,
      team.productId,
      team.po,
      form({ businessValue: '0', timeCriticality: '1', riskReduction: '1', urgency: '' }),
    );
    expect(refused.status).toBe(400);
    expect(
      (
        await runCriteriaForm(
          services,
          team.productId,
          team.dev,
          form({
            methods: 'wsjf',
            businessValue: '1',
            timeCriticality: '1',
            riskReduction: '1',
            urgency: 'x',
          }),
        )
      ).status,
    ).toBe(403);

    const request = await runRequestCommand(
      services,
      'sendRequest',
      { productId: team.productId },
      team.stakeholder,
      {
        title: 'Refunds',
        problem: 'Manual today',
        whoHasIt: '',
        expectedValue: '',
        deadline: null,
        urgent: false,
        channel: 'direct',
      },
    );
    const result = await runRequestCommand(
      services,
      'triageRequest',
      { productId: team.productId, requestId: request.id },
      team.po,
      { action: 'decline', reason: 'Handled by finance' },
    );
    expect(result.event).toEqual({
      type: 'request_answered',
      productId: team.productId,
      requestId: request.id,
      state: 'declined',
      title: 'Refunds',
      requesterId: team.stakeholder,
      answer: 'Handled by finance',
      itemId: null,
    });
    expect(result.request.criteriaVersion).toBe(1);

    const a = await createItem(database.db, team.productId, team.po, { title: 'Scored' });
    await updateItem(database.db, a.id, team.po, {
      userBusinessValue: 8,
      timeCriticality: 8,
      riskReduction: 8,
      jobSize: 1,
    });
    expect((await proposeOrder(database.db, team.productId, team.po, 'wsjf')).criteriaVersion).toBe(1);
    await applyProposal(database.db, team.productId, team.po, { mode: 'wsjf', reason: 'Agreed' });
    const log = await listDecisions(database.db, team.productId, team.po, {
      kind: 'proposal_applied',
      limit: 1,
    });
    expect(log.entries[0].after).toMatchObject({ criteriaVersion: 1 });
  });

  it('counts the member whose request became an item among the people told of its review', async () => {
    const { services } = liveServices(database);
    const request = await runRequestCommand(
      services,
      'sendRequest',
      { productId: team.productId },
      team.stakeholder,
      {
        title: 'Invoices by mail',
        problem: 'Printed today',
        whoHasIt: '',
        expectedValue: '',
        deadline: null,
        urgent: false,
        channel: 'direct',
      },
    );
    const { event } = await runRequestCommand(
      services,
      'triageRequest',
      { productId: team.productId, requestId: request.id },
      team.po,
      { action: 'accept', position: 'top' },
    );
    expect(await peopleWhoAskedFor(database.db, event.itemId!)).toContain(team.stakeholder);
  });

  it('takes requests by link without an account, follows them by a secret link, and limits and revokes the link', async () => {
    const app = { db: database.db };
    const link = await createRequestLink(database.db, team.productId, team.po);
    const fields = { name: 'Walk-in Wendy', title: 'Parking map', problem: 'Visitors get lost' };
    const sent = await runLinkRequestForm(app, link.token, '198.51.100.1', form(fields));
    expect(sent.status).toBe(200);
    const followToken = sent.followToken as string;
    const followed = await followRequest(database.db, followToken);
    expect(followed).toMatchObject({ title: 'Parking map', state: 'new', requesterName: 'Walk-in Wendy' });
    expect(await followRequest(database.db, 'rqf_not-a-real-token')).toBeNull();

    // The PO asks; only that request's follow link answers it.
    const other = await runLinkRequestForm(
      app,
      link.token,
      '198.51.100.1',
      form({ ...fields, title: 'Other' }),
    );
    const { services } = liveServices(database);
    await runRequestCommand(
      services,
      'triageRequest',
      { productId: team.productId, requestId: followed!.id },
      team.po,
      {
        action: 'ask',
        question: 'Which building?',
      },
    );
    expect(
      (await runFollowAnswerForm(app, other.followToken as string, '198.51.100.1', form({ answer: 'B' })))
        .status,
    ).toBe(409);
    expect((await runFollowAnswerForm(app, 'rqf_forged', '198.51.100.1', form({ answer: 'B' }))).status).toBe(
      404,
    );
    const answered = await runFollowAnswerForm(
      app,
      followToken,
      '198.51.100.1',
      form({ answer: 'Building C' }),
    );
    expect(answered).toMatchObject({ status: 200, reply: { message: 'Answer sent.' } });
    const now = await followRequest(database.db, followToken);
    expect(now?.state).toBe('new');
    expect(now?.messages.map((m) => m.body)).toEqual(['Which building?', 'Building C']);

    // Huge input is refused.
    const huge = await runLinkRequestForm(
      app,
      link.token,
      '198.51.100.2',
      form({ ...fields, problem: 'x'.repeat(6000) }),
    );
    expect(huge.status).toBe(400);

    // A revoked link takes nothing.
    await revokeRequestLink(database.db, team.productId, team.po, link.id);
    const revoked = await runLinkRequestForm(app, link.token, '198.51.100.3', form(fields));
    expect(revoked.status).toBe(404);
    expect(firstError(revoked.reply.result)?.message).toContain('not valid');

    // One address may post only so many public forms.
    const fresh = await createRequestLink(database.db, team.productId, team.po);
    const flood = { db: database.db };
    const statuses: number[] = [];
    for (let i = 0; i <= publicRequestLimit.count; i++)
      statuses.push((await runLinkRequestForm(flood, fresh.token, '203.0.113.9', form(fields))).status);
    expect(statuses.slice(0, publicRequestLimit.count).every((s) => s === 200)).toBe(true);
    const limited = await runLinkRequestForm(flood, fresh.token, '203.0.113.9', form(fields));
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect((await runLinkRequestForm(flood, fresh.token, '203.0.113.10', form(fields))).status).toBe(200);
  });

  it('orders proposals by WSJF weighted as agreed, and exactly as before with equal weights', async () => {
    const other = await seedTeam(database.db, 'Weights');
    const { services } = liveServices(database);
    const parts = (bv: 1 | 5, tc: 1 | 8) => ({
      userBusinessValue: bv,
      timeCriticality: tc,
      riskReduction: 1 as const,
      jobSize: 1 as const,
    });
    const a = await createItem(database.db, other.productId, other.po, {
      title: 'Deadline-driven',
      ...parts(1, 8),
    });
    await createItem(database.db, other.productId, other.po, { title: 'Valuable', ...parts(5, 1) });
    const order = async () =>
      (await proposeOrder(database.db, other.productId, other.po, 'wsjf')).rows.map((r) => [r.title, r.wsjf]);
    expect(await order()).toEqual([
      ['Deadline-driven', 10],
      ['Valuable', 7],
    ]);
    const agree = (businessValue: string) =>
      runCriteriaForm(
        services,
        other.productId,
        other.po,
        form({ methods: 'wsjf', businessValue, timeCriticality: '1', riskReduction: '1', urgency: 'Now' }),
      );
    await agree('1');
    expect(await order()).toEqual([
      ['Deadline-driven', 10],
      ['Valuable', 7],
    ]);
    await agree('3');
    expect(await order()).toEqual([
      ['Valuable', 17],
      ['Deadline-driven', 12],
    ]);
    const applied = await applyProposal(database.db, other.productId, other.po, {
      mode: 'wsjf',
      reason: 'Agreed weights',
    });
    expect(applied.order.at(-1)).toBe(a.id);
  });
});
