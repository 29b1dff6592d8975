import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '~/services/accounts.server';
import { createItem } from '~/services/backlog/items.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createSession } from '~/services/sessions/sessions.server';
import { seedTeam } from '~/services/testing/team.server';
import { type ControlReply, controlOutcome } from '~/utils/form-submission';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { loadRoom, runRoomCommand } from './room.server';

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

/** The three amigos room's forms (the form pipeline): what the panels send, as the browser sends it. */
describe.each(testBackends)('the three amigos room’s forms on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let tester: string;
  let storyId: string;
  let otherItemId: string;
  let sessionId: string;
  let context: AppLoadContext;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { db } = database;
    team = await seedTeam(db);
    tester = (
      await signUp(db, { email: 'qa-room@example.com', displayName: 'Tess QA', password: team.password })
    ).id;
    const invite = await createInvite(db, team.productId, team.po, { role: 'team_member', expiresInDays: 7 });
    await acceptInvite(db, invite.token, tester);
    storyId = (await createItem(db, team.productId, team.po, { title: 'Book a slot' })).id;
    otherItemId = (await createItem(db, team.productId, team.po, { title: 'Calendar API' })).id;
    sessionId = (
      await createSession(db, team.productId, team.po, {
        title: 'Amigos',
        kind: 'three_amigos',
        agenda: [storyId],
        developerId: team.dev,
        testerId: tester,
      })
    ).id;
    const log = { info() {}, warn() {}, error() {}, debug() {} };
    context = {
      app: { db, log, live: { update: async () => {} } },
      cspNonce: '',
    } as unknown as AppLoadContext;
  });
  afterAll(() => database.close());

  const run = (userId: string, entries: Record<string, string>) =>
    runRoomCommand(context, team.productId, sessionId, userId, form(entries)).then(answer);

  it('takes a note with no linked item (the empty choice), and a dependency linking an item', async () => {
    expect(
      await run(team.dev, { command: 'addAmigoNote', kind: 'question', text: 'Who pays?', linkedItemId: '' }),
    ).toMatchObject({ status: 200, body: { ok: true } });
    expect(
      await run(team.dev, {
        command: 'addAmigoNote',
        kind: 'dependency',
        text: 'Needs the calendar',
        linkedItemId: otherItemId,
      }),
    ).toMatchObject({ status: 200, body: { ok: true } });
    const room = await loadRoom(context, team.productId, sessionId, team.dev);
    expect(room.threeAmigos?.notes.map((n) => [n.kind, n.text, n.linkedItem?.title ?? null])).toEqual([
      ['question', 'Who pays?', null],
      ['dependency', 'Needs the calendar', 'Calendar API'],
    ]);
    expect(room.threeAmigos?.myPart).toBe('developer');
    expect(room.amigoLinkable.map((i) => i.title)).toEqual(['Calendar API']);
  });

  it('answers a malformed case beside the field, and refuses a watcher with 403', async () => {
    expect(await run(tester, { command: 'addCase', scenario: 'nothing like Gherkin' })).toMatchObject({
      status: 400,
      body: { ok: false, field: 'scenario' },
    });
    expect(await run(team.stakeholder, { command: 'markUnderstanding', agreed: 'true' })).toMatchObject({
      status: 403,
    });
    const watcher = await loadRoom(context, team.productId, sessionId, team.stakeholder);
    expect(watcher.threeAmigos?.myPart).toBeNull();
    expect(watcher.amigoLinkable).toEqual([]);
  });

  it('marks and takes back a mark from the form', async () => {
    expect(await run(tester, { command: 'markUnderstanding', agreed: 'true' })).toMatchObject({
      status: 200,
    });
    expect(await run(tester, { command: 'markUnderstanding', agreed: 'false' })).toMatchObject({
      status: 200,
    });
    const room = await loadRoom(context, team.productId, sessionId, tester);
    expect(room.threeAmigos?.people.every((p) => !p.marked)).toBe(true);
  });
});
