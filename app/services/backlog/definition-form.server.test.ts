import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { liveServices } from '~/services/testing/live-services.server';
import { seedTeam } from '~/services/testing/team.server';
import { firstError } from '~/utils/form-submission';
import { runDefinitionForm } from './definition-form.server';
import { getDefinitions } from './definitions.server';

const form = (entries: Array<[string, string]>) => {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
};

describe.each(testBackends)('the Settings editor of the Definitions on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let other: Awaited<ReturnType<typeof seedTeam>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    other = await seedTeam(database.db, 'Other');
  });
  afterAll(() => database.close());

  it('saves the lines as typed: kept ids, new lines, a removed line and blank lines left out', async () => {
    const { services } = liveServices(database);
    const save = (entries: Array<[string, string]>, userId = team.dev) =>
      runDefinitionForm(services, team.productId, userId, form(entries));
    const first = await save([
      ['kind', 'done'],
      ['lines[0].text', ' Tests pass '],
      ['lines[1].text', 'Reviewed by a second person'],
      ['lines[2].text', ''],
      ['reason', 'Agreed at the retro'],
    ]);
    expect(first).toMatchObject({
      status: 200,
      reply: { kind: 'done', message: 'Definition of Done saved.' },
    });
    const saved = (await getDefinitions(database.db, team.productId, team.po)).done;
    expect(saved.map((line) => line.text)).toEqual(['Tests pass', 'Reviewed by a second person']);

    const second = await save([
      ['kind', 'done'],
      ['lines[0].id', saved[0].id],
      ['lines[0].text', 'All tests pass'],
      ['lines[1].id', saved[1].id],
      ['lines[1].text', saved[1].text],
      ['lines[1].remove', 'on'],
    ]);
    expect(second.status).toBe(200);
    expect((await getDefinitions(database.db, team.productId, team.po)).done).toEqual([
      { id: saved[0].id, text: 'All tests pass' },
    ]);
    const again = await save([
      ['kind', 'done'],
      ['lines[0].id', saved[0].id],
      ['lines[0].text', 'All tests pass'],
    ]);
    expect(again.reply.message).toBe('Nothing changed.');
  });

  it('refuses who may not, another product, a made-up kind and too many lines, keeping what was typed', async () => {
    const { services } = liveServices(database);
    const lines: Array<[string, string]> = [
      ['kind', 'ready'],
      ['lines[0].text', 'Criteria written'],
    ];
    // The Definition of Ready is the product owner's.
    const dev = await runDefinitionForm(services, team.productId, team.dev, form(lines));
    expect(dev).toMatchObject({
      status: 403,
      reply: { kind: 'ready', rows: [{ text: 'Criteria written' }] },
    });
    expect(firstError(dev.reply.result)?.message).toMatch(/product owner/i);
    const stranger = await runDefinitionForm(services, team.productId, other.po, form(lines));
    expect(stranger.status).toBe(404);
    const madeUp = await runDefinitionForm(services, team.productId, team.po, form([['kind', 'everything']]));
    expect(madeUp).toMatchObject({ status: 400, reply: { kind: null } });
    expect(firstError(madeUp.reply.result)?.message).toBe(
      'That request was not understood. Reload the page and try again.',
    );
    const many: Array<[string, string]> = [['kind', 'ready']];
    for (let i = 0; i < 500; i++) many.push([`lines[${i}].text`, `Line ${i}`]);
    const tooMany = await runDefinitionForm(services, team.productId, team.po, form(many));
    expect(tooMany.status).toBe(400);
    expect(firstError(tooMany.reply.result)).toMatchObject({ field: 'lines', message: 'At most 40 lines' });
    expect((await getDefinitions(database.db, team.productId, team.po)).ready).toEqual([]);
  });
});
