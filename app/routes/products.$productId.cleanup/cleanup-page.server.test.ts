import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../db/test-database';
import { testServices } from '~/api/test-harness.server';
import { signUp } from '~/services/accounts.server';
import { createItem } from '~/services/backlog/items.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';
import { applyFromForm } from '~/routes/products.$productId.proposals/proposals-page.server';
import { archiveFromForm, loadCleanup, readSettings } from './cleanup-page.server';

// The cleanup and proposal pages' forms: bad input answers 400 with the field, other roles 403, never a crash.

const password = 'correct horse battery staple';
let database: Database;
let context: AppLoadContext;
let po: string;
let dev: string;
let productId: string;
let ids: string[];

const form = (fields: Record<string, string | string[]>) => {
  const values = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) values.append(k, one);
  return values;
};
/** status and body of a data() answer or a plain object */
const answer = (result: unknown) =>
  result && typeof result === 'object' && 'init' in result && 'data' in result
    ? { status: (result.init as ResponseInit | null)?.status ?? 200, body: result.data }
    : { status: 200, body: result };

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  context = { app: testServices(database), cspNonce: '' } as AppLoadContext;
  po = (await signUp(database.db, { email: 'po@example.com', displayName: 'PO', password })).id;
  dev = (await signUp(database.db, { email: 'dev@example.com', displayName: 'Dev', password })).id;
  productId = (await createProduct(database.db, po, { name: 'Main', description: '' })).id;
  const invite = await createInvite(database.db, productId, po, { role: 'team_member', expiresInDays: 7 });
  await acceptInvite(database.db, invite.token, dev);
  ids = [];
  // WSJF 1, 3, 10.5, 29: the bottom quartile is 1.
  const scored = [
    ['Low', [1, 1, 1, 3]],
    ['Mid', [1, 1, 1, 1]],
    ['High', [5, 8, 8, 2]],
    ['Top', [13, 8, 8, 1]],
  ] as const;
  for (const [title, [userBusinessValue, timeCriticality, riskReduction, jobSize]] of scored) {
    const item = await createItem(database.db, productId, po, {
      title,
      userBusinessValue,
      timeCriticality,
      riskReduction,
      jobSize,
    });
    ids.push(item.id);
  }
});

afterAll(async () => {
  await database.close();
});

describe('cleanup settings', () => {
  it('reads the choices, and falls back with a note on anything else', () => {
    expect(readSettings({ days: null, maxWsjf: null })).toMatchObject({
      untouchedDays: 90,
      maxWsjf: undefined,
      error: null,
    });
    expect(readSettings({ days: '30', maxWsjf: '2,5' })).toMatchObject({
      untouchedDays: 30,
      maxWsjf: 2.5,
      error: null,
    });
    const bad = readSettings({ days: '45', maxWsjf: 'lots' });
    expect(bad).toMatchObject({ untouchedDays: 90, maxWsjf: undefined, wsjfText: '' });
    expect(bad.error).toBe(
      'Some settings were ignored: Days must be one of 30, 60, 90, 180; The WSJF threshold must be a number',
    );
    expect(readSettings({ days: 'x', maxWsjf: '-1' }).error).toContain('cannot be negative');
  });

  it('keeps the "beyond the next three sprints" rule on unless the form says it was unticked', () => {
    const beyond = (values: string[]) =>
      readSettings({ days: '90', maxWsjf: '', beyond: values }).beyondHorizon;
    expect(readSettings({ days: null, maxWsjf: null }).beyondHorizon).toBe(true);
    expect(beyond([])).toBe(true);
    expect(beyond(['off', 'on'])).toBe(true);
    expect(beyond(['off'])).toBe(false);
    expect(beyond(['nonsense'])).toBe(false);
  });

  it('shows the page to the product owner only', async () => {
    const page = await loadCleanup(context, productId, po, new URL('http://x/?maxWsjf=0'));
    expect(page).toMatchObject({
      maxWsjf: null,
      bottomQuartile: 1,
      items: [],
      beyondHorizon: true,
      settings: { beyond: true },
    });
    // No sprint is closed yet: the page says why the horizon rule lists nothing.
    expect(page.horizon).toEqual({ kind: 'no_history', sprintsOfHistory: 0 });
    const unticked = await loadCleanup(
      context,
      productId,
      po,
      new URL('http://x/?days=90&maxWsjf=0&beyond=off'),
    );
    expect(unticked).toMatchObject({ beyondHorizon: false, settings: { beyond: false } });
    const quartile = await loadCleanup(context, productId, po, new URL('http://x/'));
    expect(quartile.items.map((i) => i.title)).toEqual(['Low']);
    await expect(loadCleanup(context, productId, dev, new URL('http://x/'))).rejects.toMatchObject({
      init: { status: 403 },
    });
  });
});

describe('the archive form', () => {
  it('needs a reason and a selection, and refuses ids that are not items', async () => {
    expect(
      answer(await archiveFromForm(context, productId, po, form({ itemIds: [ids[0]], reason: '  ' }))),
    ).toMatchObject({
      status: 400,
      body: { result: { status: 'error', error: { reason: ['Give a reason for archiving'] } } },
    });
    expect(answer(await archiveFromForm(context, productId, po, form({ reason: 'Old' })))).toMatchObject({
      status: 400,
      body: { result: { error: { itemIds: ['Choose at least one item'] }, initialValue: { reason: 'Old' } } },
    });
    expect(
      answer(await archiveFromForm(context, productId, po, form({ itemIds: ['nope'], reason: 'Old' }))),
    ).toMatchObject({
      status: 400,
      // Said on the list (the row checkboxes), and the rows are not sent back.
      body: {
        result: { error: { itemIds: ['itemIds must hold item ids'] }, initialValue: { reason: 'Old' } },
      },
    });
    expect(
      (
        answer(await archiveFromForm(context, productId, po, form({ itemIds: ['nope'], reason: 'Old' })))
          .body as {
          result: { initialValue: object };
        }
      ).result.initialValue,
    ).not.toHaveProperty('itemIds');
  });

  it('refuses a team member with 403', async () => {
    expect(
      answer(await archiveFromForm(context, productId, dev, form({ itemIds: [ids[0]], reason: 'Old' }))),
    ).toMatchObject({
      status: 403,
      body: { result: { status: 'error', error: { '': [expect.stringContaining('product owner')] } } },
    });
  });

  it('archives "all" as the candidates of the list the page showed', async () => {
    const result = answer(
      await archiveFromForm(
        context,
        productId,
        po,
        form({ all: 'yes', days: '90', maxWsjf: '', reason: 'Lowest value' }),
      ),
    );
    expect(result).toMatchObject({ status: 200, body: { result: { initialValue: null }, archived: 1 } });
    const after = await loadCleanup(context, productId, po, new URL('http://x/?maxWsjf=100'));
    expect(after.items.map((i) => i.title)).toEqual(['Mid', 'High', 'Top']);
  });
});

describe('the proposal form', () => {
  it('needs a known mode, a reason and two items; a team member gets 403', async () => {
    expect(
      answer(
        await applyFromForm(context, productId, po, form({ mode: 'alphabetical', all: 'yes', reason: 'x' })),
      ),
    ).toMatchObject({
      status: 400,
      body: { result: { error: { '': [expect.stringContaining('not known')] } } },
    });
    expect(
      answer(await applyFromForm(context, productId, po, form({ mode: 'wsjf', all: 'yes', reason: '' }))),
    ).toMatchObject({
      status: 400,
      body: { result: { error: { reason: ['Write down why this order is accepted'] } } },
    });
    expect(
      answer(
        await applyFromForm(context, productId, po, form({ mode: 'wsjf', itemIds: [ids[1]], reason: 'x' })),
      ),
    ).toMatchObject({
      status: 400,
      body: { result: { error: { itemIds: ['Choose at least two items'] } } },
    });
    // Not "select all" and no row ticked: two items are still asked for (not every item).
    expect(
      answer(await applyFromForm(context, productId, po, form({ mode: 'wsjf', reason: 'x' }))),
    ).toMatchObject({
      status: 400,
      body: { result: { error: { itemIds: ['Choose at least two items'] } } },
    });
    expect(
      answer(await applyFromForm(context, productId, dev, form({ mode: 'wsjf', all: 'yes', reason: 'x' }))),
    ).toMatchObject({ status: 403 });
  });

  it('applies to all items with the reason', async () => {
    const result = answer(
      await applyFromForm(
        context,
        productId,
        po,
        form({ mode: 'wsjf', all: 'yes', reason: 'Workshop outcome' }),
      ),
    );
    expect(result).toMatchObject({
      status: 200,
      body: {
        result: { initialValue: null },
        moved: 2,
        message:
          'Applied the WSJF order to 3 items: 2 items moved. The backlog and the decision log show it.',
      },
    });
  });
});
