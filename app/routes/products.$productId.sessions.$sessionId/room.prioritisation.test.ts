import type { AppLoadContext } from '@remix-run/node';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedOrderMessage, describeAppliedOrder, nothingMovedMessage } from '~/domain/order-proposals';
import { createItem } from '~/services/backlog/items.server';
import { runSessionCommand } from '~/services/sessions/dispatch.server';
import { createSession } from '~/services/sessions/sessions.server';
import { seedTeam } from '~/services/testing/team.server';
import type { Database } from '../../../db/client';
import { decisions } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { type ControlReply, controlOutcome } from '~/utils/form-submission';
import { loadRoom, runRoomCommand } from './room.server';

/** The room's answer as the control shows it, with its status (a refusal comes as data() with one). */
const seen = (r: unknown) => {
  const refused =
    r && typeof r === 'object' && 'init' in r
      ? (r as { data: ControlReply; init: { status: number } })
      : null;
  return {
    ...controlOutcome(refused ? refused.data : (r as ControlReply)),
    status: refused?.init.status ?? 200,
  };
};

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
};

// The room's loader is an HTTP answer every member can ask for: before the reveal it holds only the viewer's own
// dots and scores, never anyone else's nor a total; the proposal and the join link are for those who may use them.
describe.each(testBackends)('the prioritisation room’s data on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let context: AppLoadContext;
  let sessionId: string;
  let items: string[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    items = [];
    for (const title of ['Pay online', 'Remind by SMS', 'Export invoices'])
      items.push((await createItem(database.db, team.productId, team.po, { title })).id);
    sessionId = (
      await createSession(database.db, team.productId, team.po, {
        title: 'Q3',
        kind: 'prioritisation',
        agenda: items,
        methods: ['dots', 'wsjf'],
        groups: [{ name: 'Clinics', weight: 2 }],
      })
    ).id;
    const log = { info() {}, warn() {}, error() {}, debug() {} };
    context = {
      app: { db: database.db, log, live: { update: async () => {} } },
      cspNonce: '',
    } as unknown as AppLoadContext;
  });
  afterAll(() => database.close());

  const run = (userId: string, entries: Record<string, string>) =>
    runRoomCommand(context, team.productId, sessionId, userId, form(entries)).then(seen);

  it('shows each viewer only their own votes until the reveal, then the same results to everyone', async () => {
    for (const user of [team.po, team.dev, team.stakeholder]) await run(user, { command: 'join' });
    await run(team.po, { command: 'openVoting' });
    expect(await run(team.stakeholder, { command: 'castDots', itemId: items[2], dots: '3' })).toMatchObject({
      ok: true,
    });
    expect(
      await run(team.stakeholder, {
        command: 'submitScores',
        itemId: items[2],
        userBusinessValue: '13',
        timeCriticality: '8',
      }),
    ).toMatchObject({ ok: true });
    expect(await run(team.dev, { command: 'castDots', itemId: items[0], dots: '1' })).toMatchObject({
      ok: true,
    });

    const po = await loadRoom(context, team.productId, sessionId, team.po);
    expect(po.prioritisationRoom?.data.myDots).toEqual([]);
    expect(po.prioritisationRoom?.data.results).toBeNull();
    expect(po.prioritisationRoom?.data.proposal).toBeNull();
    expect(po.prioritisationRoom?.joinCode).toMatch(/^[\w-]{10,}$/);
    expect(po.prioritisationRoom?.data.voting).toMatchObject({
      state: 'open',
      revealed: false,
      voterCount: 2,
    });
    // Nothing in the PO's whole answer carries the stakeholder's 3 dots or 13 points.
    const text = JSON.stringify(po);
    expect(text).not.toMatch(/"dots":3/);
    expect(text).not.toMatch(/"value":"13"/);
    const sam = await loadRoom(context, team.productId, sessionId, team.stakeholder);
    expect(sam.prioritisationRoom?.data.myDots).toEqual([{ itemId: items[2], dots: 3 }]);
    expect(sam.prioritisationRoom?.joinCode).toBeNull();
    expect(JSON.stringify(sam)).not.toMatch(/"dots":1\b/);

    // The product owner puts the stakeholder in a weighted group; only the PO is offered the grouping.
    const people = po.prioritisationRoom?.grouping?.people ?? [];
    const samId = people.find((p) => p.name === 'Sam Stakeholder')!.id;
    expect(
      await run(team.po, { command: 'setParticipantGroup', participantId: samId, groupName: 'Clinics' }),
    ).toMatchObject({ ok: true });
    expect(sam.prioritisationRoom?.grouping).toBeNull();

    await runSessionCommand(context.app, 'revealResults', sessionId, team.po, {});
    const after = await Promise.all(
      [team.po, team.dev, team.stakeholder].map((u) => loadRoom(context, team.productId, sessionId, u)),
    );
    const results = after.map((r) => JSON.stringify(r.prioritisationRoom?.data.results));
    expect(new Set(results).size).toBe(1);
    expect(after[0].prioritisationRoom?.data.results?.items.find((i) => i.itemId === items[2])?.dots).toBe(3);
    // The proposal (by dots) is the product owner's; members who may not order the backlog do not get one.
    expect(after[0].prioritisationRoom?.data.proposal?.rows[0]).toMatchObject({ itemId: items[2], move: 2 });
    expect(after[2].prioritisationRoom?.data.proposal).toBeNull();
    const wsjf = await loadRoom(context, team.productId, sessionId, team.po, 'wsjf');
    expect(wsjf.prioritisationRoom?.data.proposal?.method).toBe('wsjf');
  });

  it('tells the product owner what applying the order did, and says plainly when nothing moved', async () => {
    // The results were revealed above: by dots, "Export invoices" (3 dots) goes first, "Pay online" (1) second,
    // so all three items take another place.
    const first = await run(team.po, { command: 'applyOrder', method: 'dots', reason: 'Clinics first' });
    expect(first).toMatchObject({ ok: true, message: appliedOrderMessage(3) });
    expect(first).toMatchObject({ message: expect.stringMatching(/^Applied: 3 items moved\./) });
    const again = await run(team.po, { command: 'applyOrder', method: 'dots', reason: 'Still agreed' });
    expect(again).toMatchObject({ ok: true, message: nothingMovedMessage });
    const entries = await database.db
      .select({ after: decisions.after, reason: decisions.reason })
      .from(decisions)
      .where(and(eq(decisions.sessionId, sessionId), eq(decisions.kind, 'proposal_applied')))
      .orderBy(asc(decisions.id));
    expect(entries.map((e) => e.reason)).toEqual(['Clinics first', 'Still agreed']);
    expect(entries.map((e) => (e.after as { moved: number }).moved)).toEqual([3, 0]);
    expect(describeAppliedOrder('Olivia', entries[1].after as object)).toBe(
      'Olivia applied the by-dots order from “Q3” (nothing moved: the backlog already followed this order)',
    );
    // Only the product owner applies an order.
    expect(await run(team.stakeholder, { command: 'applyOrder', method: 'dots', reason: 'x' })).toMatchObject(
      { ok: false, status: 403 },
    );
  });

  it('in an anonymous session says only how many have voted, and never who voted what, even after the reveal', async () => {
    const anonymousId = (
      await createSession(database.db, team.productId, team.po, {
        title: 'Anonymous',
        kind: 'prioritisation',
        agenda: items,
        anonymous: true,
      })
    ).id;
    const act = (userId: string, entries: Record<string, string>) =>
      runRoomCommand(context, team.productId, anonymousId, userId, form(entries)).then(seen);
    for (const user of [team.po, team.stakeholder]) await act(user, { command: 'join' });
    await act(team.po, { command: 'openVoting' });
    expect(await act(team.stakeholder, { command: 'castDots', itemId: items[1], dots: '2' })).toMatchObject({
      ok: true,
    });
    const before = await loadRoom(context, team.productId, anonymousId, team.po);
    expect(before.prioritisationRoom?.data.voting).toMatchObject({ voterCount: 1, voted: null });
    await act(team.po, { command: 'revealResults' });
    const after = await loadRoom(context, team.productId, anonymousId, team.po);
    expect(after.prioritisationRoom?.data.results).toMatchObject({ anonymous: true, participants: null });
    expect(after.prioritisationRoom?.data.results?.items.find((i) => i.itemId === items[1])?.dots).toBe(2);
  });
});
