import type { AppLoadContext } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '~/api/test-harness.server';
import { signUp } from '~/services/accounts.server';
import { createItem, loadItem } from '~/services/backlog/items.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';
import type { Database } from '../../../db/client';
import { products } from '../../../db/schema';
import { openTestDatabase } from '../../../db/test-database';
import { runItemCommand } from './item-page.server';

// The item page's forms on the one form pipeline (decision 0035): each answers { intent, result, message? }, a
// refusal keeps the status of its cause and what was typed, and the form's fields read as they always did.

const password = 'correct horse battery staple';
let database: Database;
let context: AppLoadContext;
let po: string;
let dev: string;
let productId: string;
let itemId: string;
let otherId: string;

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
const post = async (userId: string, fields: Record<string, string | string[]>, item = itemId) =>
  answer(await runItemCommand(context, productId, item, userId, form(fields)));

/** The edit form as the page sends it, with the item's fields filled in as given. */
const editForm = (fields: Record<string, string | string[]>) => ({
  intent: 'save',
  readyChecksShown: '1',
  title: 'Book online',
  type: 'story',
  parentId: '',
  status: 'new',
  estimate: '',
  labels: '',
  moscow: '',
  kano: '',
  userBusinessValue: '',
  timeCriticality: '',
  riskReduction: '',
  jobSize: '',
  impactHypothesis: '',
  successMetric: '',
  outcome: '',
  readyOverrideReason: '',
  reason: '',
  ...fields,
});

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  context = { app: testServices(database), cspNonce: '' } as AppLoadContext;
  po = (await signUp(database.db, { email: 'po@example.com', displayName: 'PO', password })).id;
  dev = (await signUp(database.db, { email: 'dev@example.com', displayName: 'Dev', password })).id;
  productId = (await createProduct(database.db, po, { name: 'Main', description: '' })).id;
  const invite = await createInvite(database.db, productId, po, { role: 'team_member', expiresInDays: 7 });
  await acceptInvite(database.db, invite.token, dev);
  await database.db
    .update(products)
    .set({
      definitionOfReady: [
        { id: 'ac', text: 'Acceptance criteria written' },
        { id: 'est', text: 'Estimated by the team' },
      ],
    })
    .where(eq(products.id, productId));
  itemId = (
    await createItem(database.db, productId, po, {
      title: 'Book online',
      description: 'As a patient…',
      labels: ['web'],
      moscow: 'must',
      jobSize: 5,
    })
  ).id;
  otherId = (await createItem(database.db, productId, po, { title: 'Payment provider' })).id;
});

afterAll(async () => {
  await database.close();
});

describe('the edit form', () => {
  it('saves what the form says: emptied choices are none, labels are split, the boxes are read', async () => {
    const saved = await post(
      dev,
      editForm({
        title: ' Book an appointment online ',
        estimate: ' 5 ',
        labels: 'web, mobile ,web,',
        kano: 'attractive',
        userBusinessValue: '8',
        successMetric: 'Online share of bookings',
        'ready.ac': 'on',
        reason: '  ',
      }),
    );
    expect(saved).toMatchObject({
      status: 200,
      body: { intent: 'save', message: 'Saved.', result: { initialValue: null } },
    });
    // The description is not in this form (it is edited live): it stays.
    expect(await loadItem(database.db, itemId)).toMatchObject({
      title: 'Book an appointment online',
      description: 'As a patient…',
      estimate: 5,
      labels: ['web', 'mobile'],
      moscow: null,
      kano: 'attractive',
      userBusinessValue: 8,
      jobSize: null,
      successMetric: 'Online share of bookings',
      readyChecks: { ac: true, est: false },
    });
  });

  it('clears a text that was emptied, and leaves out the override of a team member', async () => {
    await post(po, editForm({ description: '', successMetric: '', readyOverrideReason: 'Agreed in review' }));
    expect(await loadItem(database.db, itemId)).toMatchObject({
      description: '',
      successMetric: '',
      readyOverrideReason: 'Agreed in review',
    });
    await post(dev, editForm({ readyOverrideReason: '' }));
    expect((await loadItem(database.db, itemId)).readyOverrideReason).toBe('Agreed in review');
    await post(po, editForm({ readyOverrideReason: '  ' }));
    expect((await loadItem(database.db, itemId)).readyOverrideReason).toBeNull();
  });

  it('refuses with every problem beside its field, and sends back what was typed', async () => {
    const refused = await post(
      dev,
      editForm({ title: '  ', estimate: '2.5', labels: `ok, ${'x'.repeat(51)}`, 'ready.est': 'on' }),
    );
    expect(refused).toMatchObject({
      status: 400,
      body: {
        intent: 'save',
        readyChecks: { ac: false, est: true },
        result: {
          status: 'error',
          error: {
            '': ['Nothing was saved: check the marked fields.'],
            title: ['Title is required'],
            estimate: ['Estimate must be a whole number of points'],
            labels: ['A label must be at most 50 characters'],
          },
          initialValue: { title: '  ', estimate: '2.5' },
        },
      },
    });
    expect(refused.body).not.toHaveProperty('message');
    expect((await post(dev, editForm({ estimate: 'lots', userBusinessValue: '4' }))).body).toMatchObject({
      result: {
        error: {
          estimate: ['Estimate must be a whole number of points'],
          userBusinessValue: [expect.stringContaining('Use one of 1, 2, 3, 5, 8')],
        },
      },
    });
  });

  it('says a refusal of the service on the form and beside its field, with its status', async () => {
    const refused = await post(dev, editForm({ status: 'ready' }));
    const message = expect.stringContaining('This item is not ready: the Definition of Ready is not met');
    expect(refused).toMatchObject({
      status: 409,
      body: {
        intent: 'save',
        result: { error: { '': [message], status: [message] }, initialValue: { status: 'ready' } },
        readyChecks: { ac: false, est: false },
      },
    });
  });
});

describe('the other forms of the page', () => {
  it('saves the criteria, and refuses text that does not parse beside it', async () => {
    expect(
      await post(dev, { intent: 'criteria', criteria: 'Scenario: Book\n  Given a free slot' }),
    ).toMatchObject({
      status: 200,
      body: { intent: 'criteria', message: 'Acceptance criteria saved (1 scenarios).' },
    });
    const refused = await post(dev, { intent: 'criteria', criteria: 'this line is not Gherkin' });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        intent: 'criteria',
        result: {
          error: { criteria: [expect.stringContaining('do not parse')] },
          initialValue: { criteria: 'this line is not Gherkin' },
        },
      },
    });
    expect(await post(dev, { intent: 'criteria', criteria: '' })).toMatchObject({ status: 200 });
    expect((await loadItem(database.db, itemId)).criteria).toBe('');
  });

  it('adds and removes a dependency, and asks for an item when none was chosen', async () => {
    expect(await post(dev, { intent: 'add-dependency' })).toMatchObject({
      status: 400,
      body: {
        intent: 'add-dependency',
        result: {
          error: { '': ['Choose the item this one is blocked by.'], blockedById: ['Choose an item'] },
        },
      },
    });
    expect(await post(dev, { intent: 'add-dependency', blockedById: otherId })).toMatchObject({
      status: 200,
      body: { intent: 'add-dependency', message: 'Dependency added.' },
    });
    expect(await post(dev, { intent: 'add-dependency', blockedById: otherId })).toMatchObject({
      body: { message: 'That dependency was already there.' },
    });
    const cycle = await post(dev, { intent: 'add-dependency', blockedById: itemId }, otherId);
    expect(cycle.status).toBeGreaterThanOrEqual(400);
    expect(cycle.body).toMatchObject({ result: { error: { '': [expect.stringContaining('cycle')] } } });
    expect(await post(dev, { intent: 'remove-dependency', blockedById: 'nope' })).toMatchObject({
      status: 400,
      body: {
        result: { error: { '': ['That dependency was not understood. Reload the page and try again.'] } },
      },
    });
    expect(await post(dev, { intent: 'remove-dependency', blockedById: otherId })).toMatchObject({
      body: { intent: 'remove-dependency', message: 'Dependency removed.' },
    });
  });

  it('archives with a reason and restores, each with its own answer', async () => {
    expect(await post(po, { intent: 'restore', reason: '' })).toMatchObject({
      status: 409,
      body: { intent: 'restore', result: { error: { '': ['This item is not archived.'] } } },
    });
    expect(await post(po, { intent: 'archive', reason: '  ' })).toMatchObject({
      status: 400,
      body: {
        intent: 'archive',
        result: {
          error: { '': ['Give a reason for archiving.'], reason: ['Give a reason for archiving'] },
          initialValue: { reason: '  ' },
        },
      },
    });
    expect((await post(dev, { intent: 'archive', reason: 'Old' })).status).toBe(403);
    expect(await post(po, { intent: 'archive', reason: 'Superseded' })).toMatchObject({
      status: 200,
      body: { intent: 'archive', message: 'Archived. It is out of the order and keeps all its data.' },
    });
    const tooLong = 'x'.repeat(1001);
    expect(await post(po, { intent: 'restore', reason: tooLong })).toMatchObject({
      status: 400,
      body: {
        result: {
          error: {
            '': ['Reason must be at most 1000 characters'],
            reason: ['Reason must be at most 1000 characters'],
          },
        },
      },
    });
    expect(await post(po, { intent: 'restore', reason: '' })).toMatchObject({
      status: 200,
      body: { intent: 'restore', message: 'Restored at the bottom of the order.' },
    });
  });

  it('refuses an unknown request, and an item of another product as not found', async () => {
    expect(await post(dev, { intent: 'rename' })).toMatchObject({
      status: 400,
      body: {
        intent: 'rename',
        result: { error: { '': ['That request was not understood. Reload the page and try again.'] } },
      },
    });
    const elsewhere = (await createProduct(database.db, po, { name: 'Other', description: '' })).id;
    const stranger = (await createItem(database.db, elsewhere, po, { title: 'Elsewhere' })).id;
    expect(await post(po, { intent: 'archive', reason: 'x' }, stranger)).toMatchObject({
      status: 404,
      body: { intent: 'archive', result: { status: 'error' } },
    });
  });
});
