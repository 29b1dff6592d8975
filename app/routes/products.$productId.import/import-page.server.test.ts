import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../db/test-database';
import { testServices } from '~/api/test-harness.server';
import { signUp } from '~/services/accounts.server';
import { exportBacklog } from '~/services/backlog/import-export.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';
import { type ImportReply, runImport } from './import-page.server';

// The import page's action: every kind of bad input is answered with a message and a 4xx, never a crash.

const password = 'correct horse battery staple';
let database: Database;
let context: AppLoadContext;
let po: string;
let stakeholder: string;
let productId: string;

/** What the action answered: status and body, whether data() or a redirect. */
async function post(userId: string, fields: Record<string, string | Blob>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const request = new Request(`http://refinery.test/products/${productId}/import`, {
    method: 'POST',
    body: form,
  });
  const result: unknown = await runImport(context, productId, userId, request);
  if (result instanceof Response)
    return { status: result.status, location: result.headers.get('Location'), body: undefined };
  const answer = result as { data: ImportReply; init: ResponseInit | null };
  return { status: answer.init?.status ?? 200, location: null, body: answer.data };
}

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  context = { app: testServices(database), cspNonce: '' } as AppLoadContext;
  po = (await signUp(database.db, { email: 'po@example.com', displayName: 'PO', password })).id;
  stakeholder = (await signUp(database.db, { email: 'sh@example.com', displayName: 'SH', password })).id;
  productId = (await createProduct(database.db, po, { name: 'Main', description: '' })).id;
  const invite = await createInvite(database.db, productId, po, { role: 'stakeholder', expiresInDays: 7 });
  await acceptInvite(database.db, invite.token, stakeholder);
});

afterAll(async () => {
  await database.close();
});

const jira = 'Summary,Issue Type,Size\nFirst,Story,3\nSecond,Bug,5\n';

describe('the import action', () => {
  it('previews with the suggested mapping, then with a changed one, and echoes the text only without JavaScript', async () => {
    const first = await post(po, { intent: 'preview', csv: jira, js: '1', fileName: 'jira.csv' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      step: 'preview',
      fileName: 'jira.csv',
      rows: 2,
      itemCount: 2,
      errorCount: 0,
      csv: undefined,
      result: { status: 'success', initialValue: { intent: 'preview', fileName: 'jira.csv', js: '1' } },
    });
    // The CSV is never in the form's reply: the preview echoes it only without JavaScript.
    expect(first.body?.result.initialValue).not.toHaveProperty('csv');
    expect(first.body).toMatchObject({ mapping: { title: 0, type: 1, estimate: null } });
    const remapped = await post(po, {
      intent: 'preview',
      csv: jira,
      mapped: '1',
      'map-title': '0',
      'map-type': '1',
      'map-estimate': '2',
      'map-description': '',
      'map-priority': '',
      'map-parent': '',
      'map-labels': '',
      'map-criteria': '',
      'map-externalKey': '',
    });
    expect(remapped.body).toMatchObject({
      csv: expect.stringContaining('Second,Bug,5'),
      fileName: 'Pasted CSV',
      mapping: { estimate: 2 },
    });
    expect(remapped.body?.step === 'preview' ? remapped.body.items.map((i) => i.estimate) : null).toEqual([
      3, 5,
    ]);
  });

  it('reads an uploaded file (no JavaScript) and the pasted text', async () => {
    const uploaded = await post(po, {
      intent: 'preview',
      file: new File([jira], 'upload.csv', { type: 'text/csv' }),
      pasted: '',
    });
    expect(uploaded.body).toMatchObject({ step: 'preview', fileName: 'upload.csv', itemCount: 2 });
    const pasted = await post(po, { intent: 'preview', pasted: jira });
    expect(pasted.body).toMatchObject({ step: 'preview', itemCount: 2 });
  });

  it('answers bad input with a message: nothing sent, a binary file, an unknown intent or column, a column the file lacks', async () => {
    expect(await post(po, { intent: 'preview', csv: '' })).toMatchObject({
      status: 400,
      body: { step: 'choose', result: { error: { csv: ['Choose a CSV file, or paste its text'] } } },
    });
    expect(await post(po, { intent: 'preview', csv: 'PK\u0003\u0004\u0000\u0000' })).toMatchObject({
      status: 400,
      body: { result: { error: { csv: [expect.stringContaining('Excel')] } } },
    });
    expect(await post(po, { intent: 'delete', csv: jira })).toMatchObject({
      status: 400,
      body: { step: 'choose', result: { error: { '': ['Choose Preview or Import'] } } },
    });
    expect(await post(po, { intent: 'preview', csv: jira, mapped: '1', 'map-title': 'abc' })).toMatchObject({
      status: 400,
      body: { result: { error: { '': [expect.stringContaining('title')] } } },
    });
    const missing = await post(po, { intent: 'preview', csv: jira, mapped: '1', 'map-title': '7' });
    expect(missing).toMatchObject({
      status: 200,
      body: { errorCount: 1, errors: [{ line: 1, reason: expect.stringContaining('column 7') }] },
    });
  });

  it('imports nothing from a file with broken rows, and lists them', async () => {
    const broken = 'Summary,Issue Type\nGood,Story\n,Story\nBad,Nope\n';
    const answer = await post(po, { intent: 'import', csv: broken });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      step: 'preview',
      result: { status: 'error', error: { '': [expect.stringContaining('nothing was imported')] } },
      errors: [{ line: 3 }, { line: 4 }],
    });
    expect(await exportBacklog(database.db, productId, po)).toHaveLength(0);
  });

  it('refuses a stakeholder with 403 and a message', async () => {
    expect(await post(stakeholder, { intent: 'import', csv: jira })).toMatchObject({
      status: 403,
      body: { step: 'choose', result: { error: { '': [expect.stringContaining('stakeholder')] } } },
    });
    expect(await post(stakeholder, { intent: 'preview', csv: jira })).toMatchObject({ status: 403 });
  });

  it('imports and redirects to the backlog with the count', async () => {
    const answer = await post(po, { intent: 'import', csv: jira });
    expect(answer).toMatchObject({ status: 302, location: `/products/${productId}?imported=2` });
    expect((await exportBacklog(database.db, productId, po)).map((i) => i.title)).toEqual([
      'First',
      'Second',
    ]);
  });
});
