import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtPlanLine } from '~/domain/debt-share';
import { readItemForm } from '~/routes/products.$productId.items.$itemId/item-form.server';
import { addItemToSprint } from '~/services/sprints/planning.server';
import { createSprint, updateSprint } from '~/services/sprints/sprints.server';
import { sprintView } from '~/services/sprints/view.server';
import { liveServices } from '~/services/testing/live-services.server';
import { seedTeam } from '~/services/testing/team.server';
import { firstError } from '~/utils/form-submission';
import type { Database } from '../../../db/client';
import { decisions } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { debtShareSettings } from './debt-share.server';
import { debtShareIntent, runDebtShareForm } from './debt-share-form.server';
import { createItem } from './items.server';

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.append(name, value);
  return data;
};

describe.each(testBackends)('the technical-debt share on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
  });
  afterAll(() => database.close());

  it('is set in Settings by the product owner only, read as a whole percent (empty is none), and logged', async () => {
    const { services } = liveServices(database);
    const save = (entries: Record<string, string>, userId = team.po) =>
      runDebtShareForm(services, team.productId, userId, form({ intent: debtShareIntent, ...entries }));

    expect(await save({ share: '20', reason: 'One day in five' })).toMatchObject({
      status: 200,
      reply: { message: 'Technical debt share set to 20 %.' },
    });
    expect(await debtShareSettings(database.db, team.productId, team.dev)).toEqual({
      share: 20,
      mayEdit: false,
    });
    expect((await debtShareSettings(database.db, team.productId, team.po)).mayEdit).toBe(true);

    for (const [share, message] of [
      ['150', 'The share cannot be above 100 %'],
      ['-5', 'The share cannot be below 0 %'],
      ['12.5', 'The share must be a whole percent'],
      ['lots', 'The share must be a whole percent from 0 to 100, or empty for none'],
    ]) {
      const refused = await save({ share });
      expect(refused.status, share).toBe(400);
      expect(refused.reply.result.error?.share, share).toEqual([message]);
    }
    const team403 = await save({ share: '50' }, team.dev);
    expect(team403.status).toBe(403);
    expect(firstError(team403.reply.result)?.message).toContain('product owner');
    expect((await save({ share: '50' }, team.stakeholder)).status).toBe(403);
    expect((await debtShareSettings(database.db, team.productId, team.po)).share).toBe(20);

    expect(await save({ share: '20' })).toMatchObject({
      status: 200,
      reply: { message: 'Nothing changed.' },
    });
    expect(await save({ share: '' })).toMatchObject({
      status: 200,
      reply: { message: 'No share for technical debt now.' },
    });
    expect((await debtShareSettings(database.db, team.productId, team.po)).share).toBeNull();
    const logged = await database.db
      .select({ before: decisions.before, after: decisions.after, reason: decisions.reason })
      .from(decisions)
      .where(and(eq(decisions.productId, team.productId), eq(decisions.kind, 'debt_share_changed')))
      .orderBy(decisions.id);
    expect(logged).toEqual([
      { before: { share: null }, after: { share: 20 }, reason: 'One day in five' },
      { before: { share: 20 }, after: { share: null }, reason: '' },
    ]);
    await save({ share: '20' });
  });

  it('shows in planning the debt points planned against the share, with the debt items’ impacts', async () => {
    const sprint = await createSprint(database.db, team.productId, team.po, {
      name: 'Planning',
      startDate: '2026-11-02',
      endDate: '2026-11-13',
    });
    const add = async (
      title: string,
      type: 'tech_debt' | 'story',
      estimate: number | null,
      debtImpact = '',
    ) => {
      const item = await createItem(database.db, team.productId, team.po, {
        title,
        type,
        estimate,
        debtImpact,
      });
      await addItemToSprint(database.db, sprint.id, team.po, { itemId: item.id });
      return item.id;
    };
    await add('Replace the date library', 'tech_debt', 5, 'Adds 2 days to every feature with dates');
    await add('Book a table', 'story', 20);
    await add('Cancel a booking', 'story', 15);

    const view = await sprintView(database.db, sprint.id, team.dev);
    expect(view.debt).toMatchObject({ share: 20, basis: 'planned', targetPoints: 8, status: 'under' });
    expect(debtPlanLine(view.debt)).toBe(
      'Technical debt: 5 of 40 points planned (13 %), share 20 % → 8 points',
    );
    expect(view.debt.items).toEqual([
      expect.objectContaining({
        title: 'Replace the date library',
        estimate: 5,
        impact: 'Adds 2 days to every feature with dates',
      }),
    ]);

    // With a capacity the share is of the capacity; an unestimated debt item leaves it open.
    await updateSprint(database.db, sprint.id, team.po, { capacity: 25 });
    expect((await sprintView(database.db, sprint.id, team.po)).debt).toMatchObject({
      basis: 'capacity',
      targetPoints: 5,
      status: 'on',
    });
    await add('Split the god class', 'tech_debt', null);
    const open = (await sprintView(database.db, sprint.id, team.po)).debt;
    expect(open).toMatchObject({ status: 'unknown', unestimatedDebt: 1 });
    expect(debtPlanLine(open)).toContain('1 debt item not estimated');
  });

  it('reads the debt impact on the item page’s form, at most 500 characters', () => {
    const ok = readItemForm(form({ title: 'Debt', debtImpact: '  Adds a day  ' }), [], false);
    expect(ok.ok && ok.update.debtImpact).toBe('Adds a day');
    const long = readItemForm(form({ title: 'Debt', debtImpact: 'x'.repeat(10_000) }), [], false);
    expect(long.ok).toBe(false);
    expect(long.ok ? null : long.result.error?.debtImpact).toEqual([
      'Debt impact must be at most 500 characters',
    ]);
  });
});
