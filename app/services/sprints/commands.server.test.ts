import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { productDocument, sessionDocument } from '~/domain/document-names';
import { createItem } from '~/services/backlog/items.server';
import { createProduct } from '~/services/products.server';
import { joinSession } from '~/services/sessions/commands.server';
import { liveServices } from '~/services/testing/live-services.server';
import { refusal } from '~/services/testing/refusal';
import { seedTeam } from '~/services/testing/team.server';
import { runSprintCommand } from './commands.server';
import { runSprintForm } from './forms.server';
import { createSprint } from './sprints.server';

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

describe.each(testBackends)('the sprint command runner on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
  });
  afterAll(() => database.close());

  async function sprintWithDoneItem() {
    const sprint = await createSprint(database.db, team.productId, team.po, {
      name: `Sprint ${Math.random()}`,
      startDate: '2026-11-02',
      endDate: '2026-11-13',
    });
    const item = await createItem(database.db, team.productId, team.po, { title: 'Book', estimate: 3 });
    return { sprintId: sprint.id, itemId: item.id };
  }

  it('runs each command once for the API and the forms alike, and publishes what changed', async () => {
    const { services, version } = liveServices(database);
    const { sprintId, itemId } = await sprintWithDoneItem();
    const backlog = productDocument(team.productId);
    const submit = (fields: Record<string, string>) =>
      runSprintForm(services, team.productId, sprintId, team.po, form(fields));

    // API-style: validated input, the runner publishes the backlog change of the item.
    const before = version(backlog, 'backlog');
    await runSprintCommand(services, 'addItemToSprint', { sprintId }, team.po, { itemId });
    expect(version(backlog, 'backlog')).toBeGreaterThan(before);

    // Form-style: the same command through its intent.
    expect(await submit({ intent: 'start' })).toMatchObject({
      ok: true,
    });
    expect(
      await runSprintForm(
        services,
        team.productId,
        sprintId,
        team.dev,
        form({ intent: 'done', itemId, done: 'true' }),
      ),
    ).toMatchObject({ ok: true });

    // Starting the review publishes into the new review session's document; later commands refresh it.
    const { result, change } = await runSprintCommand(services, 'startReview', { sprintId }, team.po, {});
    const review = sessionDocument(result.sessionId);
    expect(change.sessionId).toBe(result.sessionId);
    const reviewVersion = version(review, 'session');
    expect(reviewVersion).toBeGreaterThan(0);
    await joinSession(database.db, result.sessionId, team.stakeholder);
    const answer = await runSprintForm(
      services,
      team.productId,
      sprintId,
      team.stakeholder,
      form({ intent: 'feedback', text: 'Lovely' }),
    );
    expect(answer).toMatchObject({ ok: true, sessionId: result.sessionId });
    expect(version(review, 'session')).toBeGreaterThan(reviewVersion);
    expect(version(review, 'review')).toBeGreaterThan(0);
  });

  it('refuses as the services do: another product’s sprint, who may not, bad input, an unknown intent', async () => {
    const { services, version } = liveServices(database);
    const { sprintId, itemId } = await sprintWithDoneItem();
    const submit = (fields: Record<string, string>) =>
      runSprintForm(services, team.productId, sprintId, team.po, form(fields));
    // The page of another product (of the same owner) names this sprint: not found, nothing published.
    const other = await createProduct(database.db, team.po, { name: 'Other', description: '' });
    expect(
      await refusal(
        runSprintCommand(services, 'addItemToSprint', { sprintId, productId: other.id }, team.po, { itemId }),
      ),
    ).toBe('not_found');
    // A stakeholder may not plan.
    expect(
      await refusal(
        runSprintCommand(services, 'addItemToSprint', { sprintId }, team.stakeholder, { itemId }),
      ),
    ).toBe('forbidden');
    expect(version(productDocument(team.productId), 'backlog')).toBe(0);

    expect(await submit({ intent: 'nonsense' })).toMatchObject({
      ok: false,
      status: 400,
      field: 'intent',
    });
    // Input the command's schema refuses, named by its field; an item not in the sprint, refused by the service.
    expect(await submit({ intent: 'add', itemId: 'nope' })).toMatchObject({
      ok: false,
      status: 400,
      field: 'itemId',
    });
    expect(await submit({ intent: 'done', itemId, done: 'true' })).toMatchObject({ ok: false, status: 409 });
    expect(await submit({ intent: 'update', capacity: 'lots' })).toMatchObject({ ok: false, status: 400 });
  });
});
