import { and, asc, eq, isNull, notInArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '~/domain/errors';
import { createItem, updateItem } from '~/services/backlog/items.server';
import { computeSprintBurndown } from '~/services/metrics/burndown.server';
import { runSprintCommand } from '~/services/sprints/commands.server';
import { loadSprint } from '~/services/sprints/common.server';
import { createSprint } from '~/services/sprints/sprints.server';
import { liveServices } from '~/services/testing/live-services.server';
import { refusal } from '~/services/testing/refusal';
import { seedTeam } from '~/services/testing/team.server';
import { firstError, messagesByField } from '~/utils/form-submission';
import type { Database } from '../../../db/client';
import { backlogItems, decisions, notifications, sprintItems, sprints } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { runRequestCommand } from './commands.server';
import { urgentImpact } from './urgent.server';
import { runUrgentSwapForm } from './urgent-form.server';

const dayMs = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * dayMs).toISOString().slice(0, 10);

/** The refusal's message, for the 409s the product owner reads. */
const message = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error) => (isAppError(error) ? `${error.code}: ${error.detail}` : String(error)),
  );

describe.each(testBackends)('urgent requests into the running sprint on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());

  /**
   * A running sprint holding A (5), B (3) and C (2) in backlog order, no capacity (the budget is its load, 10);
   * X and Y wait behind. C came from the stakeholder's request; the team member sends the urgent one.
   */
  async function runningSprint() {
    const team = await seedTeam(database.db);
    const { services } = liveServices(database);
    const send = (userId: string, title: string, urgent: boolean) =>
      runRequestCommand(services, 'sendRequest', { productId: team.productId }, userId, {
        title,
        problem: `${title}, please`,
        whoHasIt: '',
        expectedValue: '',
        deadline: null,
        urgent,
        channel: 'direct',
      });
    const a = await createItem(database.db, team.productId, team.po, { title: 'A', estimate: 5 });
    const b = await createItem(database.db, team.productId, team.po, { title: 'B', estimate: 3 });
    const asked = await send(team.stakeholder, 'C', false);
    const accepted = await runRequestCommand(
      services,
      'triageRequest',
      { productId: team.productId, requestId: asked.id },
      team.po,
      { action: 'accept', position: 'bottom' },
    );
    const c = await updateItem(database.db, accepted.event.itemId as string, team.po, { estimate: 2 });
    const x = await createItem(database.db, team.productId, team.po, { title: 'X', estimate: 8 });
    const y = await createItem(database.db, team.productId, team.po, { title: 'Y', estimate: 5 });
    const urgent = await send(team.dev, 'Checkout is down for Safari', true);
    const plain = await send(team.dev, 'Dark mode', false);
    return { team, services, a, b, c, x, y, urgent, plain, send };
  }

  async function start(t: Awaited<ReturnType<typeof runningSprint>>) {
    const sprint = await createSprint(database.db, t.team.productId, t.team.po, {
      name: 'Sprint 3',
      goal: 'Pay in one page',
      startDate: day(-2),
      endDate: day(7),
    });
    for (const item of [t.a, t.b, t.c])
      await runSprintCommand(t.services, 'addItemToSprint', { sprintId: sprint.id }, t.team.po, {
        itemId: item.id,
        reason: 'planned',
      });
    await runSprintCommand(t.services, 'updateSprint', { sprintId: sprint.id }, t.team.po, {
      state: 'active',
    });
    return sprint;
  }

  it('refuses clearly: no sprint running, not urgent, not estimated, and only for the product owner', async () => {
    const t = await runningSprint();
    const { productId } = t.team;
    expect(await message(urgentImpact(database.db, productId, t.urgent.id, t.team.po, { points: 3 }))).toBe(
      'conflict: No sprint is running',
    );
    await start(t);
    expect(await message(urgentImpact(database.db, productId, t.plain.id, t.team.po, { points: 3 }))).toBe(
      'conflict: This request is not marked urgent',
    );
    expect(await message(urgentImpact(database.db, productId, t.urgent.id, t.team.po))).toBe(
      'conflict: Estimate the request first',
    );
    for (const who of [t.team.dev, t.team.stakeholder])
      expect(await refusal(urgentImpact(database.db, productId, t.urgent.id, who, { points: 3 }))).toBe(
        'forbidden',
      );
    // another product's owner does not find it
    const other = await seedTeam(database.db, 'Other');
    expect(
      await refusal(urgentImpact(database.db, other.productId, t.urgent.id, other.po, { points: 3 })),
    ).toBe('not_found');
  });

  it('assesses, refuses a stale assessment, then swaps: displaced by backlog order, back at the top, logged, told', async () => {
    const t = await runningSprint();
    const { productId } = t.team;
    const sprint = await start(t);
    const impact = await urgentImpact(database.db, productId, t.urgent.id, t.team.po, { points: 4 });
    // 10 + 4 = 14 over a budget of 10: C (2) then B (3) leave, from the bottom of the backlog order up
    expect(impact).toMatchObject({
      basis: 'current_load',
      budget: 10,
      loadBefore: 10,
      loadAfter: 9,
      remainingBefore: 10,
      remainingAfter: 9,
      displacedPoints: 5,
      urgent: { itemId: null, title: 'Checkout is down for Safari', points: 4 },
      sprint: { id: sprint.id, name: 'Sprint 3' },
    });
    expect(impact.displaced.map((d) => d.title)).toEqual(['B', 'C']);
    expect(impact.expectedDisplaced).toEqual([t.b.id, t.c.id]);
    expect(impact.goal.before.remaining).toBe(10);
    expect(impact.goal.after.remaining).toBe(9);

    const swap = (actor: string, input: { tradeOff: string; expectedDisplaced: string[]; points?: number }) =>
      runRequestCommand(t.services, 'swapIntoSprint', { productId, requestId: t.urgent.id }, actor, input);
    expect(
      await refusal(
        swap(t.team.dev, { tradeOff: 'x', expectedDisplaced: impact.expectedDisplaced, points: 4 }),
      ),
    ).toBe('forbidden');
    // the sprint changed since (or the page is old): refused, nothing moved
    expect(
      await message(swap(t.team.po, { tradeOff: 'Safari', expectedDisplaced: [t.c.id], points: 4 })),
    ).toBe('conflict: The sprint changed since the assessment; look again');
    const result = await swap(t.team.po, {
      tradeOff: 'Safari customers cannot pay; B and C wait a sprint',
      expectedDisplaced: impact.expectedDisplaced,
      points: 4,
    });
    expect(result.requestState).toBe('accepted');

    // the sprint holds A and the urgent item; B and C left
    const inSprint = await database.db
      .select({ title: backlogItems.title })
      .from(sprintItems)
      .innerJoin(backlogItems, eq(backlogItems.id, sprintItems.itemId))
      .where(and(eq(sprintItems.sprintId, sprint.id), isNull(sprintItems.removedAt)))
      .orderBy(asc(backlogItems.title));
    expect(inSprint.map((r) => r.title)).toEqual(['A', 'Checkout is down for Safari']);
    // B and C are at the top of the backlog waiting, in their order, ahead of X and Y
    const waiting = await database.db
      .select({ title: backlogItems.title, status: backlogItems.status, estimate: backlogItems.estimate })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), notInArray(backlogItems.status, ['in_sprint'])))
      .orderBy(asc(backlogItems.rank));
    expect(waiting.map((r) => r.title)).toEqual(['B', 'C', 'X', 'Y']);
    const urgentItem = await database.db
      .select()
      .from(backlogItems)
      .where(eq(backlogItems.id, result.itemId));
    expect(urgentItem[0]).toMatchObject({ status: 'in_sprint', estimate: 4 });

    // the burndown counts the scope right: A 5 + urgent 4 still to do
    const burndown = await computeSprintBurndown(database.db, await loadSprint(database.db, sprint.id));
    const today = burndown.days.findLast((d) => d.remaining !== null);
    expect(today?.remaining).toBe(9);

    // one urgent_swap entry with everything, beside the sprint's own entries
    const logged = await database.db
      .select()
      .from(decisions)
      .where(eq(decisions.productId, productId))
      .orderBy(asc(decisions.id));
    const swaps = logged.filter((d) => d.kind === 'urgent_swap');
    expect(swaps).toHaveLength(1);
    expect(swaps[0]).toMatchObject({
      itemId: result.itemId,
      actorId: t.team.po,
      reason: 'Safari customers cannot pay; B and C wait a sprint',
      after: {
        requestId: t.urgent.id,
        requestTitle: 'Checkout is down for Safari',
        points: 4,
        sprintId: sprint.id,
        loadBefore: 10,
        loadAfter: 9,
        displacedPoints: 5,
        displaced: [
          { id: t.b.id, title: 'B', points: 3 },
          { id: t.c.id, title: 'C', points: 2 },
        ],
        goalBefore: { remaining: 10 },
        goalAfter: { remaining: 9 },
        shiftedCount: 0,
      },
    });
    const tail = logged.slice(-6).map((d) => d.kind);
    expect(tail).toContain('request_accepted');
    expect(tail.filter((k) => k === 'sprint_item_removed')).toHaveLength(2);
    expect(tail).toContain('sprint_item_added');

    // the stakeholder who asked for C hears it left; the requester hears theirs is in
    const told = await database.db
      .select({ userId: notifications.userId, text: notifications.text })
      .from(notifications)
      .where(and(eq(notifications.productId, productId), eq(notifications.kind, 'sprint_swap')));
    expect(told).toContainEqual({
      userId: t.team.stakeholder,
      text: '“C” left Sprint 3 to make room for the urgent request “Checkout is down for Safari”; it is back at the top of the backlog',
    });
    expect(told).toContainEqual({
      userId: t.team.dev,
      text: 'Your urgent request “Checkout is down for Safari” was accepted and is in Sprint 3 now',
    });
    // ... in one notification: accepted and swapped at once, not also a separate "accepted"
    const requesters = await database.db
      .select({ kind: notifications.kind })
      .from(notifications)
      .where(and(eq(notifications.productId, productId), eq(notifications.userId, t.team.dev)));
    expect(requesters.map((n) => n.kind).filter((k) => k !== 'sprint_goal_at_risk')).toEqual(['sprint_swap']);
    expect(told.some((n) => n.userId === t.team.po)).toBe(false);

    // it is in: a second swap is refused
    expect(await message(swap(t.team.po, { tradeOff: 'again', expectedDisplaced: [] }))).toBe(
      'conflict: The item of this request is already in the sprint',
    );
  });

  it('weighs an accepted request by its item’s estimate, and displaces nothing when the capacity has room', async () => {
    const t = await runningSprint();
    const { productId } = t.team;
    const sprint = await start(t);
    await runSprintCommand(t.services, 'updateSprint', { sprintId: sprint.id }, t.team.po, { capacity: 20 });
    await runRequestCommand(t.services, 'triageRequest', { productId, requestId: t.urgent.id }, t.team.po, {
      action: 'accept',
      position: 'bottom',
    });
    expect(await message(urgentImpact(database.db, productId, t.urgent.id, t.team.po))).toBe(
      'conflict: Estimate the request first',
    );
    const impact = await urgentImpact(database.db, productId, t.urgent.id, t.team.po, { points: 8 });
    expect(impact).toMatchObject({ basis: 'capacity', budget: 20, loadAfter: 18, displaced: [] });
    const result = await runRequestCommand(
      t.services,
      'swapIntoSprint',
      { productId, requestId: t.urgent.id },
      t.team.po,
      { tradeOff: 'Room enough', expectedDisplaced: [], points: 8 },
    );
    expect(result.displaced).toEqual([]);
    // accepted earlier (and told then): the swap's notification says only that it is in
    const told = await database.db
      .select({ kind: notifications.kind, text: notifications.text })
      .from(notifications)
      .where(and(eq(notifications.productId, productId), eq(notifications.userId, t.team.dev)))
      .orderBy(notifications.createdAt);
    const aboutTheRequest = told.filter((n) => n.kind !== 'sprint_goal_at_risk');
    expect(aboutTheRequest.map((n) => n.kind)).toEqual(['request_answered', 'sprint_swap']);
    expect(aboutTheRequest[1].text).toBe(
      'Your urgent request “Checkout is down for Safari” is in Sprint 3 now',
    );
    const [item] = await database.db.select().from(backlogItems).where(eq(backlogItems.id, result.itemId));
    expect(item).toMatchObject({ status: 'in_sprint', estimate: 8 });
  });

  it('swaps by the page’s form: the trade-off is required, a stale page is told to look again', async () => {
    const t = await runningSprint();
    const { productId } = t.team;
    await start(t);
    const impact = await urgentImpact(database.db, productId, t.urgent.id, t.team.po, { points: 4 });
    const submit = (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      return runUrgentSwapForm(t.services, productId, t.urgent.id, t.team.po, form);
    };
    const expected = impact.expectedDisplaced.join(',');
    const empty = await submit({ tradeOff: '  ', expectedDisplaced: expected, points: '4' });
    expect(empty.status).toBe(400);
    expect(messagesByField(empty.reply.result).tradeOff).toMatch(/^Write the trade-off/);
    const stale = await submit({ tradeOff: 'Why', expectedDisplaced: t.c.id, points: '4' });
    expect(stale).toMatchObject({ status: 409, reply: { stale: true } });
    expect(firstError(stale.reply.result)?.message).toBe(
      'The sprint changed since the assessment; look again',
    );
    const done = await submit({ tradeOff: 'Safari first', expectedDisplaced: expected, points: '4' });
    expect(done.status).toBe(200);
    expect(done.reply.message).toBe(
      'Swapped: “Checkout is down for Safari” is in Sprint 3; 2 items (5 points) went back to the top of the backlog. Logged in the decision log; the people who asked were told.',
    );
  });

  it('lists the items behind whose forecast moves later, from the velocity history, and logs them', async () => {
    const t = await runningSprint();
    const { productId } = t.team;
    // three closed sprints of 10 points each, before the running one
    for (const n of [1, 2, 3]) {
      const start = new Date(Date.UTC(2025, 0, 1 + (n - 1) * 14));
      const end = new Date(start.getTime() + 13 * dayMs);
      const [closed] = await database.db
        .insert(sprints)
        .values({
          productId,
          name: `Sprint ${n}`,
          startDate: start.toISOString().slice(0, 10),
          endDate: end.toISOString().slice(0, 10),
          state: 'closed',
          startedAt: start,
          closedAt: end,
        })
        .returning();
      const delivered = await createItem(database.db, productId, t.team.po, {
        title: `Delivered ${n}`,
        estimate: 10,
      });
      await updateItem(database.db, delivered.id, t.team.po, { status: 'accepted' });
      await database.db.insert(sprintItems).values({
        sprintId: closed.id,
        itemId: delivered.id,
        pointsAtCommit: 10,
        statusBefore: 'ready',
        doneAt: end,
        outcome: 'accepted',
        pointsAtReview: 10,
        decidedAt: end,
      });
    }
    await start(t);
    const impact = await urgentImpact(database.db, productId, t.urgent.id, t.team.po, { points: 4 });
    // B and C (5 points) wait ahead of X (8) and Y (5): X no longer fits the next sprint of 10 points
    expect(impact.shiftedCount).toBeGreaterThan(0);
    expect(impact.shifted[0]).toMatchObject({ id: t.x.id, title: 'X' });
    expect(impact.shifted[0].before).not.toBe(impact.shifted[0].after);
    const result = await runRequestCommand(
      t.services,
      'swapIntoSprint',
      { productId, requestId: t.urgent.id },
      t.team.po,
      { tradeOff: 'Safari first', expectedDisplaced: impact.expectedDisplaced, points: 4 },
    );
    const [entry] = await database.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.productId, productId), eq(decisions.kind, 'urgent_swap')));
    expect(entry.itemId).toBe(result.itemId);
    expect(entry.after).toMatchObject({
      shiftedCount: impact.shiftedCount,
      shifted: [{ id: t.x.id, title: 'X', before: impact.shifted[0].before, after: impact.shifted[0].after }],
    });
  });
});
