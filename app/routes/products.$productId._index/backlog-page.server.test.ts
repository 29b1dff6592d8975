import { randomUUID } from 'node:crypto';
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { eq } from 'drizzle-orm';
import { backlogItems, sprintItems, sprints } from '../../../db/schema';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { testServices } from '~/api/test-harness.server';
import { groupByEpic } from '~/components/backlog/group-by-epic';
import { decodeRows, type RowTuple, rowsFromTuples } from '~/components/backlog/row-codec';
import { forecastCell } from '~/domain/forecast';
import { ranksForCount } from '~/domain/rank';
import { signUp } from '~/services/accounts.server';
import { archiveItems } from '~/services/backlog/archive.server';
import { listFilterSchema, listItems } from '~/services/backlog/items.server';
import { backlogView } from '~/services/backlog/overview.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { computeBacklogForecast } from '~/services/metrics/forecast.server';
import { createProduct } from '~/services/products.server';
import {
  firstScreenRows,
  loadBacklogPage,
  loadBacklogRows,
  rowsPageLimit,
  runBacklogForm,
} from './backlog-page.server';

// The backlog page with more items than its first screen: the loader sends the top of the order, the rows
// endpoint pages through the rest with the same filters, and items far down can still be moved.

const password = 'correct horse battery staple';
const count = 450;

describe.each(testBackends)('backlog page with 450 items on %s', (kind) => {
  let database: Database;
  let context: AppLoadContext;
  let po: string;
  let stakeholder: string;
  let productId: string;
  let ids: string[];

  const url = (query = '') => new URL(`http://refinery.test/products/${productId}${query}`);
  const rowsAt = async (query: string) => {
    const response = await loadBacklogRows(
      context,
      productId,
      stakeholder,
      new URL(`http://refinery.test/products/${productId}/backlog-rows${query}`),
    );
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { offset: number; total: number; rows: RowTuple[] };
    return { ...body, rows: rowsFromTuples(body.rows) };
  };
  const form = (fields: Record<string, string>) => {
    const values = new FormData();
    for (const [k, v] of Object.entries(fields)) values.append(k, v);
    return values;
  };
  /** status and body of a data() answer or a plain object */
  const answer = (result: unknown) =>
    result && typeof result === 'object' && 'init' in result && 'data' in result
      ? { status: (result.init as ResponseInit | null)?.status ?? 200, body: result.data }
      : { status: 200, body: result };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    context = { app: testServices(database), cspNonce: '' } as AppLoadContext;
    po = (await signUp(db, { email: 'po@example.com', displayName: 'PO', password })).id;
    stakeholder = (await signUp(db, { email: 'sh@example.com', displayName: 'SH', password })).id;
    productId = (await createProduct(db, po, { name: 'Large', description: '' })).id;
    const invite = await createInvite(db, productId, po, { role: 'stakeholder', expiresInDays: 7 });
    await acceptInvite(db, invite.token, stakeholder);
    // Every 50th item is an epic; the stories of an epic are spread over the whole order.
    ids = Array.from({ length: count }, () => randomUUID());
    const epicAt = (i: number) => ids[((i * 7) % (count / 50)) * 50];
    await db.insert(backlogItems).values(
      ranksForCount(count).map((rank, i) => ({
        id: ids[i],
        productId,
        rank,
        type: i % 50 === 0 ? ('epic' as const) : i % 7 === 0 ? ('bug' as const) : ('story' as const),
        title: `Item ${i + 1}`,
        estimate: [1, 2, 3, 5, 8][i % 5],
        parentId: i % 50 !== 0 && i % 3 === 0 ? epicAt(i) : null,
      })),
    );
    // One archived item in the first screen: positions skip it.
    await archiveItems(db, productId, po, { itemIds: [ids[5]], reason: 'Not needed' });
  });

  afterAll(async () => {
    await database.close();
  });

  it('sends only the first screen of the order in the page, with the totals of the whole backlog', async () => {
    const page = await loadBacklogPage(context, productId, stakeholder, url());
    const rows = decodeRows(page.rows);
    const whole = await backlogView(database.db, productId, stakeholder, listFilterSchema.parse({}));
    expect(rows).toHaveLength(firstScreenRows);
    // No closed sprint yet: every row says so with an empty forecast (the page explains it once).
    expect(rows).toEqual(whole.rows.slice(0, firstScreenRows).map((r) => ({ ...r, forecast: null })));
    expect(page.forecast).toEqual({ velocities: 0, range: null, runningSprint: null });
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: firstScreenRows }, (_, i) => i + 1));
    expect(page.total).toBe(count - 1);
    expect(page.points).toBe(whole.rows.reduce((sum, r) => sum + (r.estimate ?? 0), 0));
    expect(page.groupSizes).toBeNull();
  });

  it('pages through the rest with the rows endpoint: together they are the whole order', async () => {
    const page = await loadBacklogPage(context, productId, stakeholder, url());
    const rows = decodeRows(page.rows);
    let offset = rows.length;
    while (offset < page.total) {
      const answer = await rowsAt(`?offset=${offset}&limit=100`);
      expect(answer.offset).toBe(offset);
      expect(answer.total).toBe(page.total);
      expect(answer.rows.length).toBe(Math.min(100, page.total - offset));
      rows.push(...answer.rows);
      offset += answer.rows.length;
    }
    const listed = await listItems(database.db, productId, stakeholder, listFilterSchema.parse({}));
    expect(rows.map((r) => [r.id, r.position])).toEqual(listed.items.map((r) => [r.id, r.position]));
    expect((await rowsAt(`?offset=${page.total}`)).rows).toEqual([]);
  });

  it('applies the page’s filters to the rows endpoint', async () => {
    for (const query of ['type=story', 'q=Item 1', 'status=archived', `epic=${ids[50]}`]) {
      const filter = listFilterSchema.parse(
        Object.fromEntries(new URLSearchParams(query.replace('epic=', 'epicId='))),
      );
      const listed = await listItems(database.db, productId, stakeholder, filter);
      const page = await loadBacklogPage(context, productId, stakeholder, url(`?${query}`));
      const first = decodeRows(page.rows);
      const rest = await rowsAt(`?${query}&offset=${first.length}&limit=${rowsPageLimit}`);
      expect(page.total).toBe(listed.total);
      expect(rest.total).toBe(listed.total);
      expect([...first, ...rest.rows].map((r) => [r.id, r.position])).toEqual(
        listed.items.map((r) => [r.id, r.position]),
      );
    }
  });

  it('refuses a page that is too large or not a number, and callers who are not members', async () => {
    await expect(rowsAt(`?limit=${rowsPageLimit + 1}`)).rejects.toMatchObject({ code: 'invalid' });
    await expect(rowsAt('?offset=-1')).rejects.toMatchObject({ code: 'invalid' });
    await expect(rowsAt('?offset=abc')).rejects.toMatchObject({ code: 'invalid' });
    const outsider = (await signUp(database.db, { email: 'out@example.com', displayName: 'Out', password }))
      .id;
    await expect(loadBacklogRows(context, productId, outsider, url('/backlog-rows'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('grouped by epic, sends the first screen of the grouped order and the size of every group', async () => {
    const page = await loadBacklogPage(context, productId, stakeholder, url('?group=epic'));
    const first = decodeRows(page.rows);
    const whole = await backlogView(database.db, productId, stakeholder, listFilterSchema.parse({}));
    const entries = groupByEpic(
      whole.rows.map((r) => ({ ...r, forecast: null })),
      page.epics,
    );
    expect(first).toHaveLength(firstScreenRows);
    const sizes = page.groupSizes!;
    expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBe(page.total);
    // What the list shows before the rest arrives is the top of what it shows after.
    const partial = groupByEpic(first, page.epics, sizes);
    expect(partial).toEqual(entries.slice(0, partial.length));
    expect(partial.filter((e) => e.kind === 'item')).toHaveLength(firstScreenRows);
  });

  it('lets the product owner move items that are not in the first screen', async () => {
    const page = await loadBacklogPage(context, productId, po, url());
    const shown = new Set(decodeRows(page.rows).map((r) => r.id));
    const far = ids[400];
    expect(shown.has(far)).toBe(false);
    const top = await runBacklogForm(
      context,
      productId,
      po,
      form({ intent: 'move', itemId: far, position: 'top' }),
    );
    expect(top).toMatchObject({
      intent: 'move',
      result: { status: 'success' },
      moved: { itemId: far, from: 400, to: 1 },
    });
    expect(decodeRows((await loadBacklogPage(context, productId, po, url())).rows)[0].id).toBe(far);
    // Relative to another item far down, and back below an item of the first screen.
    const farther = ids[430];
    const below = await runBacklogForm(
      context,
      productId,
      po,
      form({ intent: 'move', itemId: far, afterId: farther }),
    );
    expect(below).toMatchObject({ moved: { from: 1, to: 430 } });
    const back = await runBacklogForm(
      context,
      productId,
      po,
      form({ intent: 'move', itemId: farther, beforeId: ids[2] }),
    );
    expect(back).toMatchObject({ moved: { to: 3 } });
    const { rows } = await backlogView(database.db, productId, po, listFilterSchema.parse({}));
    expect(rows.slice(0, 4).map((r) => r.id)).toEqual([ids[0], ids[1], farther, ids[2]]);
    expect(rows[429].id).toBe(far);
  });

  it('sends every row when the backlog fits in the first screen', async () => {
    const small = (await createProduct(database.db, po, { name: 'Small', description: '' })).id;
    const page = await loadBacklogPage(
      context,
      small,
      po,
      new URL(`http://refinery.test/products/${small}?group=epic`),
    );
    expect(page).toMatchObject({ rows: '[]', total: 0, points: 0, groupSizes: null });
  });

  it('shows each row the forecast of the whole order, and a move’s new forecasts at once', async () => {
    const db = database.db;
    // Three closed sprints (velocities 20, 25, 30): every open row gets a forecast.
    for (const [n, month] of [
      [1, '01'],
      [2, '02'],
      [3, '03'],
    ] as const) {
      const [sprint] = await db
        .insert(sprints)
        .values({
          productId,
          name: `Sprint ${n}`,
          startDate: `2026-${month}-02`,
          endDate: `2026-${month}-13`,
          state: 'closed',
        })
        .returning({ id: sprints.id });
      await db.insert(sprintItems).values({
        sprintId: sprint.id,
        itemId: ids[440 + n],
        statusBefore: 'ready',
        outcome: 'accepted',
        pointsAtReview: 15 + 5 * n,
      });
      await db
        .update(backlogItems)
        .set({ status: 'accepted' })
        .where(eq(backlogItems.id, ids[440 + n]));
    }
    const cells = async () => {
      const whole = await computeBacklogForecast(db, productId);
      return (await backlogView(db, productId, po, listFilterSchema.parse({}))).rows.map((r) => {
        const row = whole.rows.get(r.id);
        return [r.id, row ? forecastCell(row.forecast) : null];
      });
    };
    const shown = async () => {
      const page = await loadBacklogPage(context, productId, po, url());
      const rows = decodeRows(page.rows);
      expect(page.forecast).toEqual({
        velocities: 3,
        range: { lowest: 20, average: 25, highest: 30, sprints: 3 },
        runningSprint: null,
      });
      while (rows.length < page.total) rows.push(...(await rowsAt(`?offset=${rows.length}&limit=150`)).rows);
      return rows.map((r) => [r.id, r.forecast]);
    };
    const before = await cells();
    expect(before.filter(([, cell]) => cell !== null).length).toBeGreaterThan(400);
    expect(await shown()).toEqual(before);
    const last = before.at(-1)![0]!;
    await runBacklogForm(context, productId, po, form({ intent: 'move', itemId: last, position: 'top' }));
    const after = await cells();
    expect(after).not.toEqual(before);
    expect(await shown()).toEqual(after);
  });

  it('answers the new-item form and refused moves with the form reply, beside the field or on the form', async () => {
    const run = async (userId: string, fields: Record<string, string>) =>
      answer(await runBacklogForm(context, productId, userId, form(fields)));
    expect(await run(po, { intent: 'create', title: ' ', type: 'bug', position: 'top' })).toMatchObject({
      status: 400,
      body: {
        intent: 'create',
        result: {
          status: 'error',
          error: { title: ['Title is required'], '': ['Check the new item’s fields.'] },
          // What was typed comes back, for the form to show again.
          initialValue: { title: ' ', type: 'bug', position: 'top' },
        },
      },
    });
    expect(await run(stakeholder, { intent: 'create', title: 'Mine', position: 'top' })).toMatchObject({
      status: 403,
      body: { intent: 'create', result: { status: 'error', error: { '': [expect.any(String)] } } },
    });
    expect(await run(po, { intent: 'create', title: 'Fresh item', position: 'bottom' })).toMatchObject({
      status: 200,
      body: {
        intent: 'create',
        result: { initialValue: null },
        created: { title: 'Fresh item', position: 'bottom', itemId: expect.any(String) },
      },
    });
    const refusal = (message: string) => ({
      status: 400,
      body: { intent: 'move', result: { error: { '': [message] } } },
    });
    expect(await run(po, { intent: 'move', itemId: 'nope', position: 'top' })).toMatchObject(
      refusal('The move was not understood: itemId must be an item id'),
    );
    expect(
      await run(po, { intent: 'move', itemId: ids[1], position: 'top', beforeId: ids[2] }),
    ).toMatchObject(
      refusal('The move was not understood: Give exactly one of beforeId, afterId or position'),
    );
    expect(await run(stakeholder, { intent: 'move', itemId: ids[1], position: 'top' })).toMatchObject({
      status: 403,
      body: { intent: 'move', result: { error: { '': [expect.any(String)] } } },
    });
    expect(await run(po, { intent: 'rename' })).toMatchObject({
      status: 400,
      body: {
        intent: 'rename',
        result: { error: { '': ['That request was not understood. Reload the page and try again.'] } },
      },
    });
  });
});
