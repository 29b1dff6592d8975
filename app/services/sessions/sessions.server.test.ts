import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '~/domain/errors';
import { signUp } from '~/services/accounts.server';
import { createItem } from '~/services/backlog/items.server';
import { seedTeam } from '~/services/testing/team.server';
import type { Database } from '../../../db/client';
import { backlogItems, decisions, estimates, liveSessions, products } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import {
  addNote,
  endSession,
  handChangesPerMinute,
  joinSession,
  raiseHand,
  setCurrentItem,
  setPhase,
  setReadyCheck,
  setSpectator,
  setTimer,
} from './commands.server';
import { joinAsGuest } from './guests.server';
import { publicSessionState } from './live.server';
import { castEstimate, commitEstimate, revealEstimates, startEstimateRound } from './poker.server';
import { createSession, listSessions } from './sessions.server';
import { splitItem } from './split.server';
import { sessionSummary } from './summary.server';
import { sessionView } from './view.server';

/** Runs a command that must be refused and returns the error's code. */
async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected the command to be refused');
}

describe.each(testBackends)('refinement sessions on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let outsider: string;
  let itemIds: string[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    outsider = (
      await signUp(database.db, { email: 'out@example.com', displayName: 'Out', password: team.password })
    ).id;
    itemIds = [];
    for (const title of ['Book a slot', 'Cancel a booking', 'Reminders']) {
      itemIds.push((await createItem(database.db, team.productId, team.po, { title })).id);
    }
    await database.db
      .update(products)
      .set({
        definitionOfReady: [
          { id: 'ac', text: 'Criteria written' },
          { id: 'est', text: 'Estimated' },
        ],
      })
      .where(eq(products.id, team.productId));
  });
  afterAll(() => database.close());

  const newSession = (extra: Record<string, unknown> = {}) =>
    createSession(database.db, team.productId, team.po, { title: 'Refinement', agenda: itemIds, ...extra });

  it('lets only the product owner create a session, from items of the product', async () => {
    const db = database.db;
    expect(await refused(createSession(db, team.productId, team.dev, { title: 'x' }))).toBe('forbidden');
    expect(await refused(createSession(db, team.productId, outsider, { title: 'x' }))).toBe('not_found');
    const other = (await seedTeam(db, 'Other')).productId;
    const foreign = (
      await createItem(
        db,
        other,
        (await db.query.memberships.findFirst({ where: (m, { eq }) => eq(m.productId, other) }))!.userId,
        { title: 'foreign' },
      )
    ).id;
    expect(await refused(createSession(db, team.productId, team.po, { title: 'x', agenda: [foreign] }))).toBe(
      'invalid',
    );
    expect(
      await refused(
        createSession(db, team.productId, team.po, { title: 'x', facilitatorId: team.stakeholder }),
      ),
    ).toBe('invalid');
    const session = await newSession({ title: 'Listed' });
    const listed = await listSessions(db, team.productId, team.stakeholder);
    expect(listed.find((s) => s.id === session.id)).toMatchObject({
      title: 'Listed',
      state: 'planned',
      kind: 'refinement',
    });
  });

  it('keeps every vote secret until the reveal, then shows the same results to everyone', async () => {
    const db = database.db;
    const session = await newSession();
    const po = await joinSession(db, session.id, team.po);
    const dev = await joinSession(db, session.id, team.dev);
    const watcher = await joinSession(db, session.id, team.stakeholder);
    expect(watcher.spectator).toBe(true);
    expect(po.spectator).toBe(false);

    expect(await refused(castEstimate(db, session.id, team.dev, '5'))).toBe('conflict'); // no round yet
    expect(await refused(startEstimateRound(db, session.id, team.dev))).toBe('forbidden');
    await startEstimateRound(db, session.id, team.po);
    expect(await refused(castEstimate(db, session.id, team.dev, '4'))).toBe('invalid');
    expect(await refused(castEstimate(db, session.id, team.stakeholder, '5'))).toBe('forbidden');
    expect(await refused(castEstimate(db, session.id, outsider, '5'))).toBe('not_found');
    await castEstimate(db, session.id, team.dev, '8');
    await castEstimate(db, session.id, team.po, '2');

    // Before the reveal: each sees who voted and their own card, never another's.
    for (const [user, own, other] of [
      [team.po, '2', '8'],
      [team.dev, '8', '2'],
    ] as const) {
      const view = await sessionView(db, session.id, user);
      const round = view.current!.rounds[0];
      expect(round.voted).toEqual([po.id, dev.id].sort());
      expect(round.myValue).toBe(own);
      expect(round.votes).toBeNull();
      expect(round.tally).toBeNull();
      expect(JSON.stringify(view)).not.toContain(`"${other}"`);
    }
    const watching = JSON.stringify(await sessionView(db, session.id, team.stakeholder));
    expect(watching).not.toContain('"8"');
    expect(watching).not.toContain('"2"');

    expect(await refused(revealEstimates(db, session.id, team.dev))).toBe('forbidden');
    await revealEstimates(db, session.id, team.po);
    expect(await refused(castEstimate(db, session.id, team.dev, '13'))).toBe('conflict');
    const [vote] = await db.select().from(estimates).where(eq(estimates.participantId, dev.id));
    expect(vote.value).toBe('8');

    const views = await Promise.all(
      [team.po, team.dev, team.stakeholder].map((u) => sessionView(db, session.id, u)),
    );
    for (const view of views) {
      const round = view.current!.rounds[0];
      expect(round.votes!.map((v) => v.value).sort()).toEqual(['2', '8']);
      expect(round.tally).toMatchObject({ median: '2', wideSpread: true, mean: 5 });
    }

    // A re-vote starts a new round; the first is kept.
    await startEstimateRound(db, session.id, team.po);
    await castEstimate(db, session.id, team.dev, '5');
    expect(await refused(commitEstimate(db, session.id, team.po, 5))).toBe('conflict'); // not revealed yet
    await revealEstimates(db, session.id, team.po);
    expect(await refused(commitEstimate(db, session.id, team.dev, 5))).toBe('forbidden');
    await commitEstimate(db, session.id, team.po, 5);
    const [item] = await db.select().from(backlogItems).where(eq(backlogItems.id, itemIds[0]));
    expect(item.estimate).toBe(5);
    const logged = await db
      .select()
      .from(decisions)
      .where(and(eq(decisions.sessionId, session.id), eq(decisions.kind, 'edited')));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      itemId: itemIds[0],
      before: { estimate: null },
      after: { estimate: 5 },
    });
    const rounds = (await sessionView(db, session.id, team.po)).current!.rounds;
    expect(rounds.map((r) => r.number)).toEqual([2, 1]);
    expect(rounds[0].committedValue).toBe(5);
  });

  it('reveals by itself when everyone who estimates has voted, with auto-reveal on', async () => {
    const db = database.db;
    const session = await newSession({ autoReveal: true });
    await joinSession(db, session.id, team.po);
    await joinSession(db, session.id, team.dev);
    await joinSession(db, session.id, team.stakeholder);
    await startEstimateRound(db, session.id, team.po);
    expect((await castEstimate(db, session.id, team.po, '2')).revealed).toBe(false);
    expect((await castEstimate(db, session.id, team.dev, '3')).revealed).toBe(true);
    expect((await sessionView(db, session.id, team.stakeholder)).current!.rounds[0].tally!.votes).toBe(2);
  });

  it('counts a vote cast at the same time as a reveal either before it or not at all', async () => {
    const db = database.db;
    const session = await newSession();
    await joinSession(db, session.id, team.po);
    await joinSession(db, session.id, team.dev);
    await startEstimateRound(db, session.id, team.po);
    const results = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, i) =>
        castEstimate(db, session.id, i % 2 ? team.dev : team.po, i % 3 ? '5' : '8'),
      ),
      revealEstimates(db, session.id, team.po),
    ]);
    const view = await sessionView(db, session.id, team.po);
    const round = view.current!.rounds[0];
    expect(round.revealed).toBe(true);
    for (const r of results)
      if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('conflict');
    expect(round.votes!.length).toBe(round.voted.length);
  });

  it('is running from the moment the first person joins, in the list, the room and the live state, phase untouched', async () => {
    const db = database.db;
    for (const kind of ['refinement', 'review'] as const) {
      const session = await newSession({ title: `Starts on join (${kind})`, kind });
      const stateIn = async () => ({
        listed: (await listSessions(db, team.productId, team.stakeholder)).find((s) => s.id === session.id)!
          .state,
        room: (await sessionView(db, session.id, team.stakeholder)).session.state,
        live: (await publicSessionState(db, session.id))!.state,
      });
      expect(await stateIn()).toEqual({ listed: 'planned', room: 'planned', live: 'planned' });
      // A stakeholder watching is someone in the room too.
      await joinSession(db, session.id, team.stakeholder);
      expect(await stateIn()).toEqual({ listed: 'running', room: 'running', live: 'running' });
      const [row] = await db.select().from(liveSessions).where(eq(liveSessions.id, session.id));
      expect(row.phase).toBe('lobby');
      expect(row.startedAt).not.toBeNull();
      // Later joins keep the first start.
      await joinSession(db, session.id, team.dev);
      const [again] = await db.select().from(liveSessions).where(eq(liveSessions.id, session.id));
      expect(again.startedAt).toEqual(row.startedAt);
      expect((await sessionSummary(db, session.id, team.po)).startedAt).not.toBeNull();
    }
    // A guest arriving by the link starts it as well.
    const byLink = await newSession({ title: 'Guest first', kind: 'prioritisation' });
    await joinAsGuest(db, 'a-test-secret-of-at-least-32-chars!!', byLink.joinCode, {
      displayName: 'Gail Guest',
    });
    expect((await publicSessionState(db, byLink.id))!.state).toBe('running');
  });

  it('lets a participant switch between estimating and watching, keeping the open round secret and its progress right', async () => {
    const db = database.db;
    const session = await newSession({ title: 'Switching' });
    const po = await joinSession(db, session.id, team.po);
    const dev = await joinSession(db, session.id, team.dev, { spectator: true });
    const watcher = await joinSession(db, session.id, team.stakeholder);
    expect(await refused(setSpectator(db, session.id, outsider, false))).toBe('not_found');
    // Stakeholders watch planning poker; they may not switch to estimating, only stay watching.
    expect(await refused(setSpectator(db, session.id, team.stakeholder, false))).toBe('forbidden');
    expect(await setSpectator(db, session.id, team.stakeholder, true)).toMatchObject({ spectator: true });
    expect(await refused(castEstimate(db, session.id, team.dev, '5'))).toBe('forbidden');

    await startEstimateRound(db, session.id, team.po);
    await castEstimate(db, session.id, team.po, '3');
    let live = (await publicSessionState(db, session.id))!;
    expect(live.round!.voted).toEqual([po.id]);
    // The developer who joined to watch steps in during the open round: the round now waits for them too.
    await setSpectator(db, session.id, team.dev, false);
    live = (await publicSessionState(db, session.id))!;
    expect(live.participants.find((p) => p.id === dev.id)!.spectator).toBe(false);
    expect(
      live.participants
        .filter((p) => !p.spectator)
        .map((p) => p.id)
        .sort(),
    ).toEqual([po.id, dev.id].sort());
    await castEstimate(db, session.id, team.dev, '13');
    expect((await publicSessionState(db, session.id))!.round!.voted).toEqual([po.id, dev.id].sort());

    // The product owner steps back to watching: their unseen card is withdrawn, never shown to anyone.
    const stepped = await setSpectator(db, session.id, team.po, true);
    expect(stepped).toMatchObject({ spectator: true, withdrawn: 1, revealed: false });
    live = (await publicSessionState(db, session.id))!;
    expect(live.round).toMatchObject({ revealed: false, voted: [dev.id] });
    expect(JSON.stringify(live)).not.toMatch(/"(3|13)"/);
    for (const user of [team.po, team.stakeholder]) {
      const round = (await sessionView(db, session.id, user)).current!.rounds[0];
      expect(round).toMatchObject({ voted: [dev.id], myValue: null, votes: null, tally: null });
      expect(JSON.stringify(await sessionView(db, session.id, user))).not.toContain('"13"');
    }
    expect(await refused(castEstimate(db, session.id, team.po, '5'))).toBe('forbidden');

    // The reveal counts only the people who estimate.
    await revealEstimates(db, session.id, team.po);
    const revealed = (await sessionView(db, session.id, watcher.userId!)).current!.rounds[0];
    expect(revealed.votes).toEqual([{ participantId: dev.id, name: 'Tom Dev', value: '13' }]);
    // Stepping back after the reveal leaves the revealed round as it was.
    await setSpectator(db, session.id, team.dev, true);
    expect((await sessionView(db, session.id, team.po)).current!.rounds[0].votes).toHaveLength(1);

    // Only in refinement, and not once the session has ended.
    const prioritisation = await newSession({ title: 'Dots', kind: 'prioritisation' });
    await joinSession(db, prioritisation.id, team.dev);
    expect(await refused(setSpectator(db, prioritisation.id, team.dev, true))).toBe('conflict');
    await endSession(db, session.id, team.po);
    expect(await refused(setSpectator(db, session.id, team.dev, false))).toBe('conflict');
  });

  it('reveals by itself when the last person it waited for steps back to watching, with auto-reveal on', async () => {
    const db = database.db;
    const session = await newSession({ autoReveal: true, title: 'Auto' });
    await joinSession(db, session.id, team.po);
    await joinSession(db, session.id, team.dev);
    await startEstimateRound(db, session.id, team.po);
    await castEstimate(db, session.id, team.po, '5');
    expect(await setSpectator(db, session.id, team.dev, true)).toMatchObject({
      withdrawn: 0,
      revealed: true,
    });
    const round = (await sessionView(db, session.id, team.dev)).current!.rounds[0];
    expect(round.tally!.votes).toBe(1);
    // The only estimator stepping back reveals nothing: a round with nobody left to wait for stays open.
    const empty = await newSession({ autoReveal: true, title: 'Auto, alone' });
    await joinSession(db, empty.id, team.dev);
    await startEstimateRound(db, empty.id, team.po);
    expect(await setSpectator(db, empty.id, team.dev, true)).toMatchObject({ withdrawn: 0, revealed: false });
    expect((await publicSessionState(db, empty.id))!.round).toMatchObject({ revealed: false, voted: [] });
  });

  it('withdraws an unrevealed card when someone re-joins as a spectator', async () => {
    const db = database.db;
    const session = await newSession({ title: 'Re-join' });
    await joinSession(db, session.id, team.po);
    const dev = await joinSession(db, session.id, team.dev);
    await startEstimateRound(db, session.id, team.po);
    await castEstimate(db, session.id, team.dev, '8');
    await joinSession(db, session.id, team.dev, { spectator: true });
    expect((await publicSessionState(db, session.id))!.round!.voted).toEqual([]);
    expect(await db.select().from(estimates).where(eq(estimates.participantId, dev.id))).toEqual([]);
  });

  it('moves phases, the current item and the timer only for the facilitator', async () => {
    const db = database.db;
    const session = await newSession();
    await joinSession(db, session.id, team.dev);
    expect(await refused(setPhase(db, session.id, team.dev, 'refining'))).toBe('forbidden');
    expect(await refused(setPhase(db, session.id, team.po, 'dancing'))).toBe('invalid');
    await setPhase(db, session.id, team.po, 'refining');
    expect(await refused(setCurrentItem(db, session.id, team.po, session.id))).toBe('invalid');
    await setCurrentItem(db, session.id, team.po, itemIds[1]);
    let view = await sessionView(db, session.id, team.dev);
    expect(view.session).toMatchObject({ phase: 'refining', state: 'running', currentItemId: itemIds[1] });
    expect(view.session.timer!.seconds).toBe(600);
    await setTimer(db, session.id, team.po, null);
    await raiseHand(db, session.id, team.dev, true);
    view = await sessionView(db, session.id, team.po);
    expect(view.session.timer).toBeNull();
    expect(view.participants.find((p) => p.userId === team.dev)!.handRaisedAt).not.toBeNull();
  });

  it('refuses a hand flipped faster than a person would, for that person only', async () => {
    const db = database.db;
    const session = await newSession();
    await joinSession(db, session.id, team.dev);
    await joinSession(db, session.id, team.stakeholder);
    for (let i = 0; i < handChangesPerMinute; i++) await raiseHand(db, session.id, team.dev, i % 2 === 0);
    expect(await refused(raiseHand(db, session.id, team.dev, true))).toBe('too_many_requests');
    await raiseHand(db, session.id, team.stakeholder, true);
    const view = await sessionView(db, session.id, team.po);
    expect(view.participants.find((p) => p.userId === team.stakeholder)!.handRaisedAt).not.toBeNull();
  });

  it('ticks the Definition of Ready from the room without losing a concurrent tick', async () => {
    const db = database.db;
    const session = await newSession();
    await joinSession(db, session.id, team.dev);
    await Promise.all([
      setReadyCheck(db, session.id, team.dev, { checkId: 'ac', checked: true }),
      setReadyCheck(db, session.id, team.po, { checkId: 'est', checked: true }),
    ]);
    expect(
      await refused(setReadyCheck(db, session.id, team.stakeholder, { checkId: 'ac', checked: false })),
    ).toBe('forbidden');
    expect(await refused(setReadyCheck(db, session.id, team.po, { checkId: 'nope', checked: true }))).toBe(
      'invalid',
    );
    const view = await sessionView(db, session.id, team.dev);
    expect(view.current!.readiness).toMatchObject({ ready: true, met: 2, total: 2 });
  });

  it('splits the current story into child stories placed below it and on the agenda', async () => {
    const db = database.db;
    const [story] = await db.select().from(backlogItems).where(eq(backlogItems.id, itemIds[2]));
    const session = await createSession(db, team.productId, team.po, { title: 'Split', agenda: [story.id] });
    await joinSession(db, session.id, team.dev);
    expect(
      await refused(splitItem(db, session.id, team.dev, { children: [{ title: 'x' }], position: 'top' })),
    ).toBe('forbidden');
    expect(
      await refused(
        splitItem(db, session.id, team.dev, {
          children: [{ title: 'x', criteria: 'Given without a feature' }],
        }),
      ),
    ).toBe('invalid');
    const result = await splitItem(db, session.id, team.dev, {
      children: [
        {
          title: 'SMS reminders',
          criteria: 'Feature: SMS\n  Scenario: sent\n    Given a booking\n    Then an SMS is sent\n',
        },
        { title: 'Email reminders' },
      ],
    });
    const order = await db
      .select({ id: backlogItems.id, type: backlogItems.type, parentId: backlogItems.parentId })
      .from(backlogItems)
      .where(eq(backlogItems.productId, team.productId))
      .orderBy(backlogItems.rank);
    const at = order.findIndex((r) => r.id === story.id);
    expect(order[at].type).toBe('epic');
    expect(order.slice(at + 1, at + 3).map((r) => r.id)).toEqual(result.created.map((c) => c.id));
    expect(order.slice(at + 1, at + 3).every((r) => r.parentId === story.id)).toBe(true);
    const view = await sessionView(db, session.id, team.po);
    expect(view.agenda.map((a) => a.title)).toEqual(['Reminders', 'SMS reminders', 'Email reminders']);
    const summary = await sessionSummary(db, session.id, team.stakeholder);
    expect(summary.newStories.map((s) => s.title)).toEqual(['SMS reminders', 'Email reminders']);
  });

  it('refuses every command once the session has ended, and summarises it', async () => {
    const db = database.db;
    const session = await newSession({ title: 'Ending' });
    await joinSession(db, session.id, team.dev);
    await startEstimateRound(db, session.id, team.po);
    await castEstimate(db, session.id, team.dev, '3');
    await addNote(db, session.id, team.dev, { text: 'Which payment provider?' });
    expect(await refused(endSession(db, session.id, team.dev))).toBe('forbidden');
    await endSession(db, session.id, team.po);
    for (const command of [
      () => castEstimate(db, session.id, team.dev, '5'),
      () => revealEstimates(db, session.id, team.po),
      () => startEstimateRound(db, session.id, team.po),
      () => setPhase(db, session.id, team.po, 'wrap_up'),
      () => setCurrentItem(db, session.id, team.po, itemIds[1]),
      () => joinSession(db, session.id, team.stakeholder),
      () => splitItem(db, session.id, team.po, { children: [{ title: 'late' }] }),
      () => endSession(db, session.id, team.po),
    ]) {
      expect(await refused(command())).toBe('conflict');
    }
    const [vote] = await db
      .select()
      .from(estimates)
      .innerJoin(backlogItems, eq(backlogItems.id, itemIds[0]))
      .limit(1);
    expect(vote).toBeDefined();
    const summary = await sessionSummary(db, session.id, team.po);
    expect(summary.participants.map((p) => p.name)).toEqual(['Tom Dev']);
    expect(summary.openQuestions).toEqual([
      { text: 'Which payment provider?', author: 'Tom Dev', itemTitle: 'Book a slot' },
    ]);
    expect(summary.endedAt).not.toBeNull();
    expect((await sessionView(db, session.id, team.po)).may.facilitate).toBe(false);
  });
});
