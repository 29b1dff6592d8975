import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '~/services/backlog/items.server';
import { createSession } from '~/services/sessions/sessions.server';
import { seedTeam } from '~/services/testing/team.server';
import { type ControlReply, controlOutcome } from '~/utils/form-submission';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { loadRoom, runRoomCommand } from './room.server';

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
const wallClock = (ms: number) => new Date(ms).toISOString().slice(0, 16);

// The room's form for votes before the meeting goes through the form pipeline and the session commands; the
// room's data then says when the window closes and who voted early, and never anyone else's vote.
describe.each(testBackends)('votes before the meeting in the room on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let context: AppLoadContext;
  let sessionId: string;
  let items: string[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    items = [];
    for (const title of ['Pay online', 'Remind by SMS'])
      items.push((await createItem(database.db, team.productId, team.po, { title })).id);
    sessionId = (
      await createSession(database.db, team.productId, team.po, {
        title: 'Q3',
        kind: 'prioritisation',
        agenda: items,
        methods: ['dots'],
      } as never)
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

  it('opens the window from the form in the facilitator’s zone, refuses bad times on the field, and keeps votes secret', async () => {
    const past = await run(team.po, {
      command: 'setAsyncWindow',
      action: 'open',
      closesAt: wallClock(Date.now() - 3_600_000),
      timeZone: 'UTC',
    });
    expect(past).toMatchObject({ ok: false, status: 400, field: 'closesAt' });
    expect(past.ok ? '' : past.error).toMatch(/at least 15 minutes/);
    const byStakeholder = await run(team.stakeholder, {
      command: 'setAsyncWindow',
      action: 'open',
      closesAt: wallClock(Date.now() + 48 * 3_600_000),
      timeZone: 'UTC',
    });
    expect(byStakeholder).toMatchObject({ ok: false, status: 403 });

    // Tokyo is UTC+9: 09:00 there is midnight UTC.
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const opened = await run(team.po, {
      command: 'setAsyncWindow',
      action: 'open',
      closesAt: `${day}T09:00`,
      timeZone: 'Asia/Tokyo',
    });
    expect(opened).toMatchObject({ ok: true, message: 'Voting before the meeting is open.' });

    await run(team.stakeholder, { command: 'join' });
    expect(await run(team.stakeholder, { command: 'castDots', itemId: items[0], dots: '2' })).toMatchObject({
      ok: true,
    });
    const mine = await loadRoom(context, team.productId, sessionId, team.stakeholder);
    expect(mine.prioritisationRoom?.data.myDots).toEqual([{ itemId: items[0], dots: 2 }]);
    const window = mine.prioritisationRoom?.data.voting?.window;
    expect(window).toMatchObject({ state: 'open', closesAt: `${day}T00:00:00.000Z`, timeZone: 'Asia/Tokyo' });
    expect(window?.earlyVoters).toEqual([mine.me?.participantId]);
    // The product owner's room: who voted early, not what.
    const po = await loadRoom(context, team.productId, sessionId, team.po);
    expect(po.prioritisationRoom?.data.myDots).toEqual([]);
    expect(po.prioritisationRoom?.data.results).toBeNull();
    expect(JSON.stringify(po)).not.toMatch(/"dots":2/);
    expect(po.session.state).toBe('planned');
  });

  it('counts only voters still in the session once the window has closed', async () => {
    const closed = await run(team.po, { command: 'setAsyncWindow', action: 'close' });
    expect(closed).toMatchObject({ ok: true });
    const before = await loadRoom(context, team.productId, sessionId, team.po);
    const stakeholderId = (await loadRoom(context, team.productId, sessionId, team.stakeholder)).me
      ?.participantId;
    expect(before.prioritisationRoom?.data.voting?.window).toMatchObject({
      state: 'closed',
      earlyVoterCount: 1,
      earlyVoters: [stakeholderId],
    });

    // The facilitator removes the stakeholder: their early dots stop counting, and so do they.
    const removed = await run(team.po, {
      command: 'removeParticipant',
      participantId: String(stakeholderId),
    });
    expect(removed).toMatchObject({ ok: true });
    const after = await loadRoom(context, team.productId, sessionId, team.po);
    expect(after.prioritisationRoom?.data.voting?.window).toMatchObject({
      state: 'closed',
      earlyVoterCount: 0,
      earlyVoters: [],
    });
  });
});
