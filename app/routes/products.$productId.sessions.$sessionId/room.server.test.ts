import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { createItem } from '~/services/backlog/items.server';
import { createSession } from '~/services/sessions/sessions.server';
import { seedTeam } from '~/services/testing/team.server';
import { type ControlReply, controlOutcome } from '~/utils/form-submission';
import { loadRoom, runRoomCommand } from './room.server';

/**
 * The action's answer as { status, body }, the body as the control shows it (done, or refused with its reason):
 * refusals come as data() with a status, successes as plain objects.
 */
function answer(result: unknown): { status: number; body: Record<string, unknown> } {
  const r = result as { data?: ControlReply; init?: { status?: number } };
  if (r && typeof r === 'object' && 'init' in r && r.data)
    return { status: r.init?.status ?? 200, body: controlOutcome(r.data) };
  return { status: 200, body: controlOutcome(result as ControlReply) };
}

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
};

describe.each(testBackends)('the room’s action on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let other: Awaited<ReturnType<typeof seedTeam>>;
  let sessionId: string;
  let context: AppLoadContext;
  const published: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    other = await seedTeam(database.db, 'Other');
    const item = await createItem(database.db, team.productId, team.po, { title: 'Book a slot' });
    sessionId = (
      await createSession(database.db, team.productId, team.po, { title: 'Refinement', agenda: [item.id] })
    ).id;
    const log = { info() {}, warn() {}, error() {}, debug() {} };
    context = {
      app: { db: database.db, log, live: { update: async (name: string) => void published.push(name) } },
      cspNonce: '',
    } as unknown as AppLoadContext;
  });
  afterAll(() => database.close());

  const run = (userId: string, entries: Record<string, string>, productId = team.productId) =>
    runRoomCommand(context, productId, sessionId, userId, form(entries)).then(answer);

  it('runs a command read from the form and publishes the session', async () => {
    expect(await run(team.po, { command: 'join' })).toMatchObject({
      status: 200,
      body: { ok: true, command: 'join' },
    });
    expect(await run(team.dev, { command: 'join' })).toMatchObject({ status: 200 });
    expect(await run(team.po, { command: 'setTimer', seconds: '600' })).toMatchObject({ status: 200 });
    expect(published).toContain(`session:${sessionId}`);
    const room = await loadRoom(context, team.productId, sessionId, team.dev);
    expect(room.session.timer?.seconds).toBe(600);
    expect(room.me?.spectator).toBe(false);
    expect(room.myName).toBe('Tom Dev');
    expect(room.cards).toContain('13');
  });

  it('answers bad input with a message for the control, never an error', async () => {
    expect(await run(team.po, { command: 'setTimer', seconds: 'soon' })).toEqual({
      status: 400,
      body: {
        ok: false,
        command: 'setTimer',
        error: 'Seconds must be a number',
        field: 'seconds',
        path: 'seconds',
      },
    });
    expect(await run(team.po, { command: 'setTimer', seconds: '3' })).toMatchObject({
      status: 400,
      body: { error: 'At least 10 seconds' },
    });
    expect(await run(team.po, { command: 'commitEstimate' })).toMatchObject({
      status: 400,
      body: { error: 'Estimate is required', field: 'estimate' },
    });
    expect(await run(team.po, { command: 'dropTables' })).toMatchObject({
      status: 400,
      body: { ok: false, command: 'dropTables' },
    });
    expect(await run(team.po, {})).toMatchObject({ status: 400, body: { command: 'unknown' } });
    // A name on Object's prototype is not a command either.
    expect(await run(team.po, { command: 'toString' })).toMatchObject({ status: 400 });
  });

  it('passes on the service’s refusals with their status', async () => {
    expect(await run(team.dev, { command: 'startEstimateRound' })).toMatchObject({
      status: 403,
      body: { error: 'Only the facilitator of this session may do this' },
    });
    expect(await run(team.po, { command: 'revealEstimates' })).toMatchObject({
      status: 409,
      body: { error: 'No estimation round to reveal' },
    });
    expect(await run(team.stakeholder, { command: 'join', spectator: 'false' })).toMatchObject({
      status: 403,
    });
  });

  it('switches a participant between estimating and watching from the form, for their own part only', async () => {
    expect(await run(team.dev, { command: 'setSpectator', spectator: 'true' })).toMatchObject({
      status: 200,
    });
    expect((await loadRoom(context, team.productId, sessionId, team.dev)).me?.spectator).toBe(true);
    expect(await run(team.dev, { command: 'setSpectator', spectator: 'false' })).toMatchObject({
      status: 200,
    });
    const room = await loadRoom(context, team.productId, sessionId, team.dev);
    expect(room.me?.spectator).toBe(false);
    expect(room.session.state).toBe('running');
    expect(await run(team.stakeholder, { command: 'join' })).toMatchObject({ status: 200 });
    expect(await run(team.stakeholder, { command: 'setSpectator', spectator: 'false' })).toMatchObject({
      status: 403,
      body: { error: 'Stakeholders watch planning poker; they do not estimate' },
    });
  });

  it('finds the session only through its own product', async () => {
    expect(await run(team.po, { command: 'setTimer', seconds: '' }, other.productId)).toMatchObject({
      status: 404,
    });
    await expect(loadRoom(context, other.productId, sessionId, team.po)).rejects.toMatchObject({
      code: 'not_found',
    });
    // Someone outside the product does not learn that the session exists.
    expect(await run(other.po, { command: 'join' })).toMatchObject({ status: 404 });
  });
});
