import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import { createItem } from '~/services/backlog/items.server';
import { computeDashboard } from '~/services/metrics/dashboard.server';
import { joinSession } from '~/services/sessions/commands.server';
import { runSessionCommand } from '~/services/sessions/dispatch.server';
import { castEstimate, revealEstimates, startEstimateRound } from '~/services/sessions/poker.server';
import { createSession } from '~/services/sessions/sessions.server';
import { liveServices } from '~/services/testing/live-services.server';
import { refusal } from '~/services/testing/refusal';
import { seedTeam } from '~/services/testing/team.server';
import { firstError } from '~/utils/form-submission';
import type { Database } from '../../../db/client';
import { decisions, notifications, sprintGoalRiskEvents } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { runSprintCommand } from './commands.server';
import { loadSprint } from './common.server';
import { runSprintForm } from './forms.server';
import {
  checkRunningSprints,
  goalRiskHistory,
  recordGoalRisk,
  respondToGoalRisk,
  sprintGoalRisk,
} from './goal-risk.server';
import { createSprint } from './sprints.server';

const dayMs = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * dayMs).toISOString().slice(0, 10);

describe.each(testBackends)('the sprint goal at risk on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());

  /** A sprint four days in with 34 points committed and nothing done: at risk as soon as it starts. */
  async function lateSprint() {
    const team = await seedTeam(database.db);
    const { services } = liveServices(database);
    const sprint = await createSprint(database.db, team.productId, team.po, {
      name: 'Sprint 7',
      goal: 'Checkout in one page',
      startDate: day(-4),
      endDate: day(5),
    });
    const itemIds: string[] = [];
    for (const [title, estimate] of [
      ['Pay by card', 8],
      ['Address form', 13],
      ['Order summary', 13],
    ] as const) {
      const item = await createItem(database.db, team.productId, team.po, { title, estimate });
      await runSprintCommand(services, 'addItemToSprint', { sprintId: sprint.id }, team.po, {
        itemId: item.id,
      });
      itemIds.push(item.id);
    }
    const started = await runSprintCommand(services, 'updateSprint', { sprintId: sprint.id }, team.po, {
      state: 'active',
    });
    return { team, services, sprintId: sprint.id, itemIds, started };
  }

  it('flags the goal at risk as soon as the projection misses, and records it once', async () => {
    const { team, sprintId, started } = await lateSprint();
    // The command that started the sprint evaluated the goal and says so, for the caller to tell stakeholders.
    expect(started.goalRisk).toMatchObject({ change: 'at_risk', sprintId, productId: team.productId });
    expect(started.goalRisk?.message).toMatch(/^At risk: about 34 of 34 points will not be done by /);

    const read = await sprintGoalRisk(database.db, team.productId, sprintId, team.stakeholder);
    expect(read.projection).toMatchObject({ state: 'at_risk', scope: 34, shortfall: 34 });
    // Reading again, and many readers at once, record nothing more.
    const sprint = await loadSprint(database.db, sprintId);
    const again = await Promise.all([1, 2, 3, 4, 5].map(() => recordGoalRisk(database.db, sprint)));
    expect(again.every((r) => r.change === null)).toBe(true);
    await sprintGoalRisk(database.db, team.productId, sprintId, team.dev);
    const history = await goalRiskHistory(database.db, sprintId);
    expect(history.map((e) => e.kind)).toEqual(['at_risk']);
    const logged = await database.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.productId, team.productId), like(decisions.kind, 'sprint_goal%')));
    expect(logged.map((d) => d.kind)).toEqual(['sprint_goal_at_risk']);
    expect(logged[0].actorId).toBeNull();
    // Everyone in the product is told once, stakeholders included, with a link to the sprint.
    const told = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.productId, team.productId), eq(notifications.kind, 'sprint_goal_at_risk')));
    expect(told.map((n) => n.userId).sort()).toEqual([team.po, team.dev, team.stakeholder].sort());
    expect(told[0]).toMatchObject({ link: `/products/${team.productId}/sprints/${sprintId}` });
    expect(told[0].text).toMatch(/^Sprint 7: At risk: about 34 of 34 points/);
  });

  it('finds a goal fallen at risk with the days, without anyone deciding or looking (the background check)', async () => {
    const { team, sprintId } = await lateSprint();
    // As if the sprint had been on track when it started and nobody had opened it since.
    await database.db.delete(sprintGoalRiskEvents).where(eq(sprintGoalRiskEvents.sprintId, sprintId));
    await database.db.delete(notifications).where(eq(notifications.productId, team.productId));
    const changes = await checkRunningSprints(database.db);
    expect(changes.filter((c) => c.sprintId === sprintId)).toMatchObject([{ change: 'at_risk' }]);
    expect((await goalRiskHistory(database.db, sprintId)).map((e) => e.kind)).toEqual(['at_risk']);
    const told = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.productId, team.productId), eq(notifications.kind, 'sprint_goal_at_risk')));
    expect(told.map((n) => n.userId).sort()).toEqual([team.po, team.dev, team.stakeholder].sort());
    // The next check (another copy of the server, or the next quarter of an hour) records nothing more.
    expect((await checkRunningSprints(database.db)).filter((c) => c.sprintId === sprintId)).toEqual([]);
  });

  it('tells everyone again only a day after: a goal that swings back and forth is recorded each time, told once', async () => {
    const { team, services, sprintId, itemIds } = await lateSprint();
    const told = async () =>
      (
        await database.db
          .select()
          .from(notifications)
          .where(
            and(eq(notifications.productId, team.productId), eq(notifications.kind, 'sprint_goal_at_risk')),
          )
      ).length;
    /** Everything done (back on track), then the first item undone (at risk again). */
    const swing = async (toDo: string[]) => {
      for (const itemId of toDo)
        await runSprintCommand(services, 'setItemDone', { sprintId, itemId }, team.dev, { done: true });
      const undone = await runSprintCommand(
        services,
        'setItemDone',
        { sprintId, itemId: itemIds[0] },
        team.dev,
        {
          done: false,
        },
      );
      expect(undone.goalRisk).toMatchObject({ change: 'at_risk' });
    };
    expect(await told()).toBe(3);
    await swing(itemIds);
    expect((await goalRiskHistory(database.db, sprintId)).map((e) => e.kind)).toEqual([
      'at_risk',
      'back_on_track',
      'at_risk',
    ]);
    expect(await told()).toBe(3);
    // A day and more later, a new fall is news again.
    await database.db
      .update(sprintGoalRiskEvents)
      .set({ createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) })
      .where(eq(sprintGoalRiskEvents.sprintId, sprintId));
    await swing([itemIds[0]]);
    expect(await told()).toBe(6);
  });

  it('looks again at once when an estimate of a sprint item changes, in the backlog or by planning poker', async () => {
    const { team, services, sprintId, itemIds } = await lateSprint();
    const kinds = async () => (await goalRiskHistory(database.db, sprintId)).map((e) => e.kind);
    for (const itemId of itemIds.slice(1))
      await runSprintCommand(services, 'setItemDone', { sprintId, itemId }, team.dev, { done: true });
    expect(await kinds()).toEqual(['at_risk']); // 8 points left, nothing done before today

    // The last item left is found to be no work at all: the goal is met, said at once (not at the next check).
    await runBacklogCommand(services, 'updateItem', { itemId: itemIds[0] }, team.po, { estimate: 0 });
    expect(await kinds()).toEqual(['at_risk', 'back_on_track']);
    // An edit that leaves the estimate alone looks at nothing.
    await runBacklogCommand(services, 'updateItem', { itemId: itemIds[0] }, team.po, {
      title: 'Pay by card or wallet',
    });
    expect(await kinds()).toEqual(['at_risk', 'back_on_track']);

    // Planning poker agrees it is 5 points after all: at risk again, at once.
    const session = await createSession(database.db, team.productId, team.po, {
      title: 'Refinement',
      agenda: [itemIds[0]],
    });
    await joinSession(database.db, session.id, team.po);
    await joinSession(database.db, session.id, team.dev);
    await startEstimateRound(database.db, session.id, team.po);
    await castEstimate(database.db, session.id, team.dev, '5');
    await revealEstimates(database.db, session.id, team.po);
    await runSessionCommand(services, 'commitEstimate', session.id, team.po, { estimate: 5 });
    expect(await kinds()).toEqual(['at_risk', 'back_on_track', 'at_risk']);
  });

  it('records one state change when readers race on a fresh change', async () => {
    const { team, sprintId } = await lateSprint();
    await database.db.delete(sprintGoalRiskEvents).where(eq(sprintGoalRiskEvents.sprintId, sprintId));
    const sprint = await loadSprint(database.db, sprintId);
    const results = await Promise.all([1, 2, 3, 4].map(() => recordGoalRisk(database.db, sprint)));
    expect(results.filter((r) => r.change !== null)).toHaveLength(1);
    const rows = await database.db
      .select()
      .from(sprintGoalRiskEvents)
      .where(eq(sprintGoalRiskEvents.sprintId, sprintId));
    expect(rows).toHaveLength(1);
    expect(team.productId).toBeTruthy();
  });

  it('takes a response from the product owner only, with a note, and keeps the history in order', async () => {
    const { team, services, sprintId, itemIds } = await lateSprint();
    const input = { response: 'scope_cut' as const, note: 'Order summary moves to the next sprint' };
    expect(await refusal(respondToGoalRisk(database.db, sprintId, team.dev, input))).toBe('forbidden');
    expect(await refusal(respondToGoalRisk(database.db, sprintId, team.stakeholder, input))).toBe(
      'forbidden',
    );
    expect(await refusal(respondToGoalRisk(database.db, sprintId, team.po, { ...input, note: '   ' }))).toBe(
      'invalid',
    );
    const other = await seedTeam(database.db, 'Other');
    expect(await refusal(respondToGoalRisk(database.db, sprintId, other.po, input))).toBe('not_found');

    // Through the sprint page's form: the one form pipeline, the note required.
    const form = new FormData();
    form.set('intent', 'goalRisk');
    form.set('response', 'scope_cut');
    form.set('note', '');
    const refused = await runSprintForm(services, team.productId, sprintId, team.po, form);
    expect(refused.status).toBe(400);
    expect(firstError(refused.reply.result)).toMatchObject({
      field: 'note',
      message: 'Write what you do about the risk',
    });
    form.set('note', input.note);
    expect((await runSprintForm(services, team.productId, sprintId, team.po, form)).status).toBe(200);

    const view = await sprintGoalRisk(database.db, team.productId, sprintId, team.stakeholder);
    expect(view.history.map((e) => [e.kind, e.response, e.note, e.actorName])).toEqual([
      ['at_risk', null, '', null],
      ['response', 'scope_cut', input.note, 'Olivia PO'],
    ]);
    expect(view.mayRespond).toBe(false);
    expect((await sprintGoalRisk(database.db, team.productId, sprintId, team.po)).mayRespond).toBe(true);

    // Everything done: back on track, said by the command that did it; then there is nothing to respond to.
    let last: Awaited<ReturnType<typeof runSprintCommand>> | undefined;
    for (const itemId of itemIds)
      last = await runSprintCommand(services, 'setItemDone', { sprintId, itemId }, team.dev, { done: true });
    expect(last?.goalRisk).toMatchObject({ change: 'back_on_track' });
    expect((await goalRiskHistory(database.db, sprintId)).map((e) => e.kind)).toEqual([
      'at_risk',
      'response',
      'back_on_track',
    ]);
    expect(await refusal(respondToGoalRisk(database.db, sprintId, team.po, input))).toBe('conflict');
    const logged = await database.db
      .select({ kind: decisions.kind, reason: decisions.reason })
      .from(decisions)
      .where(and(eq(decisions.productId, team.productId), like(decisions.kind, 'sprint_goal%')));
    expect(logged.map((d) => d.kind)).toEqual([
      'sprint_goal_at_risk',
      'sprint_goal_risk_response',
      'sprint_goal_back_on_track',
    ]);
    expect(logged[1].reason).toBe(input.note);
  });

  it('shows the risk and the response on the stakeholder dashboard', async () => {
    const { team, sprintId } = await lateSprint();
    await respondToGoalRisk(database.db, sprintId, team.po, { response: 'accept_risk', note: 'We go on' });
    const dashboard = await computeDashboard(database.db, team.productId);
    expect(dashboard.sprint?.goalRisk?.projection?.state).toBe('at_risk');
    expect(dashboard.sprint?.goalRisk?.summary).toMatch(/^At risk: about 34 of 34 points/);
    expect(dashboard.sprint?.goalRisk?.history.map((e) => e.note)).toEqual(['', 'We go on']);
  });

  it('says nothing for a sprint not started, and too early on the first day', async () => {
    const team = await seedTeam(database.db);
    const sprint = await createSprint(database.db, team.productId, team.po, {
      name: 'Later',
      startDate: day(0),
      endDate: day(9),
    });
    expect((await sprintGoalRisk(database.db, team.productId, sprint.id, team.po)).projection).toBeNull();
    const { services } = liveServices(database);
    const item = await createItem(database.db, team.productId, team.po, { title: 'A', estimate: 5 });
    await runSprintCommand(services, 'addItemToSprint', { sprintId: sprint.id }, team.po, {
      itemId: item.id,
    });
    const started = await runSprintCommand(services, 'updateSprint', { sprintId: sprint.id }, team.po, {
      state: 'active',
    });
    expect(started.goalRisk).toBeNull();
    const view = await sprintGoalRisk(database.db, team.productId, sprint.id, team.po);
    expect(view.projection?.state).toBe('too_early');
    expect(view.history).toEqual([]);
    expect(view.mayRespond).toBe(false);
  });
});
