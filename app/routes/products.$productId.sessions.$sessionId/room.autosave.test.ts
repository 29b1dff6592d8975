import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '~/services/backlog/items.server';
import { createSession } from '~/services/sessions/sessions.server';
import { seedTeam } from '~/services/testing/team.server';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { type ControlReply, controlOutcome } from '~/utils/form-submission';
import { loadRoom, runRoomCommand } from './room.server';

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
};

/** A refusal comes back as `data(body, init)`; a success as the body itself: read as the control shows it. */
const body = (r: unknown) =>
  controlOutcome(
    (r && typeof r === 'object' && 'data' in r ? (r as { data: unknown }).data : r) as ControlReply,
  );

// The room saves scores as they are picked: each pick sends the item's scores filled in so far, so a ballot is
// stored piece by piece, item by item, and counts at the reveal without any Save. The facilitator's close step
// reads how many have not given something on every item from the public voting state.
describe.each(testBackends)('scores saved as they are picked on %s', (kind) => {
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
        title: 'Scores',
        kind: 'prioritisation',
        agenda: items,
        methods: ['wsjf', 'businessValue', 'kano'],
      })
    ).id;
    const log = { info() {}, warn() {}, error() {}, debug() {} };
    context = {
      app: { db: database.db, log, live: { update: async () => {} } },
      cspNonce: '',
    } as unknown as AppLoadContext;
  });
  afterAll(() => database.close());

  const run = async (userId: string, entries: Record<string, string>) =>
    body(await runRoomCommand(context, team.productId, sessionId, userId, form(entries)));
  const room = (userId: string) => loadRoom(context, team.productId, sessionId, userId);

  it('stores partial scores per item as each is submitted, counts them at the reveal, and tells the close step who is missing items', async () => {
    for (const user of [team.po, team.dev, team.stakeholder]) await run(user, { command: 'join' });
    await run(team.po, { command: 'openVoting' });
    expect((await room(team.po)).prioritisationRoom?.data.voting).toMatchObject({
      voterCount: 0,
      incomplete: 3,
    });

    // The stakeholder picks one part, then a second (the second request carries both), then a Kano answer on
    // the other item: three autosaves, no Save.
    expect(
      await run(team.stakeholder, { command: 'submitScores', itemId: items[0], userBusinessValue: '8' }),
    ).toMatchObject({ ok: true });
    expect(
      await run(team.stakeholder, {
        command: 'submitScores',
        itemId: items[0],
        userBusinessValue: '8',
        timeCriticality: '3',
      }),
    ).toMatchObject({ ok: true });
    expect(
      await run(team.stakeholder, { command: 'submitScores', itemId: items[1], kanoFunctional: 'like' }),
    ).toMatchObject({ ok: true });
    // The dev scores only the first item.
    expect(
      await run(team.dev, { command: 'submitScores', itemId: items[0], businessValue: '4' }),
    ).toMatchObject({ ok: true });

    const sam = await room(team.stakeholder);
    const mine = sam.prioritisationRoom?.data.myScores ?? [];
    expect(new Set(mine.map((s) => `${s.itemId === items[0] ? 'A' : 'B'}:${s.part}=${s.value}`))).toEqual(
      new Set(['A:userBusinessValue=8', 'A:timeCriticality=3', 'B:kanoFunctional=like']),
    );
    // Who has voted, and how many have not given something on every item (the dev and the PO): no value in it.
    const voting = (await room(team.po)).prioritisationRoom?.data.voting;
    expect(voting).toMatchObject({ voterCount: 2, incomplete: 2 });
    expect(JSON.stringify(voting)).not.toContain('like');

    await run(team.po, { command: 'closeVoting' });
    // A pick that arrives after the close is refused with the reason the room shows as "Not saved: …".
    expect(
      await run(team.stakeholder, {
        command: 'submitScores',
        itemId: items[1],
        kanoDysfunctional: 'dislike',
      }),
    ).toMatchObject({
      ok: false,
      error: 'Voting is closed',
    });
    await run(team.po, { command: 'revealResults' });
    const results = (await room(team.po)).prioritisationRoom?.data.results;
    const first = results?.items.find((i) => i.itemId === items[0]);
    expect(first?.parts.userBusinessValue).toMatchObject({ count: 1 });
    expect(first?.parts.businessValue).toMatchObject({ count: 1 });
    const samResults = results?.participants?.find((p) => p.name === 'Sam Stakeholder');
    expect(samResults?.scores).toHaveLength(3);
  });
});
