import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { sprints } from '../../../db/schema';
import { eq } from 'drizzle-orm';
import { productDocument, sessionDocument } from '~/domain/document-names';
import { createItem } from '~/services/backlog/items.server';
import { createProduct } from '~/services/products.server';
import { joinSession } from '~/services/sessions/commands.server';
import { liveServices } from '~/services/testing/live-services.server';
import { refusal } from '~/services/testing/refusal';
import { seedTeam } from '~/services/testing/team.server';
import { runSprintCommand } from './commands.server';
import { firstError } from '~/utils/form-submission';
import { type SprintFormOutcome, runSprintForm } from './forms.server';

/** A form's answer as a person sees it: its status, and the first problem with its field (none when it worked). */
const seen = async (outcome: Promise<SprintFormOutcome>) => {
  const { status, sessionId, reply } = await outcome;
  return { status, sessionId, problem: firstError(reply.result) };
};
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
    expect(await seen(submit({ intent: 'start' }))).toMatchObject({ status: 200, problem: null });
    expect(
      await seen(
        runSprintForm(
          services,
          team.productId,
          sprintId,
          team.dev,
          form({ intent: 'done', itemId, done: 'true' }),
        ),
      ),
    ).toMatchObject({ status: 200, problem: null });

    // Starting the review publishes into the new review session's document; later commands refresh it.
    const { result, change } = await runSprintCommand(services, 'startReview', { sprintId }, team.po, {});
    const review = sessionDocument(result.sessionId);
    expect(change.sessionId).toBe(result.sessionId);
    const reviewVersion = version(review, 'session');
    expect(reviewVersion).toBeGreaterThan(0);
    await joinSession(database.db, result.sessionId, team.stakeholder);
    const answer = await seen(
      runSprintForm(
        services,
        team.productId,
        sprintId,
        team.stakeholder,
        form({ intent: 'feedback', text: 'Lovely' }),
      ),
    );
    expect(answer).toMatchObject({ status: 200, problem: null, sessionId: result.sessionId });
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

    expect(await seen(submit({ intent: 'nonsense' }))).toMatchObject({
      status: 400,
      problem: { field: 'intent', message: 'Unknown command' },
    });
    // Input the command's schema refuses, named by its field; an item not in the sprint, refused by the service.
    expect(await seen(submit({ intent: 'add', itemId: 'nope' }))).toMatchObject({
      status: 400,
      problem: { field: 'itemId' },
    });
    expect(await seen(submit({ intent: 'done', itemId, done: 'true' }))).toMatchObject({ status: 409 });
    expect(await seen(submit({ intent: 'update', capacity: 'lots' }))).toMatchObject({
      status: 400,
      problem: { field: 'capacity', message: 'Capacity must be a number' },
    });
  });

  const sprintRow = async (id: string) =>
    (await database.db.select().from(sprints).where(eq(sprints.id, id)))[0];

  it('reads the planning form as a person fills it: an emptied goal and capacity clear them', async () => {
    const { services } = liveServices(database);
    const { sprintId } = await sprintWithDoneItem();
    const update = (goal: string, capacity: string) =>
      seen(
        runSprintForm(
          services,
          team.productId,
          sprintId,
          team.po,
          form({
            intent: 'update',
            name: 'Sprint 7',
            goal,
            startDate: '2026-11-02',
            endDate: '2026-11-13',
            capacity,
          }),
        ),
      );
    expect(await update('Book online', ' 21 ')).toMatchObject({ status: 200, problem: null });
    expect(await sprintRow(sprintId)).toMatchObject({ name: 'Sprint 7', goal: 'Book online', capacity: 21 });
    expect(await update('', '')).toMatchObject({ status: 200, problem: null });
    expect(await sprintRow(sprintId)).toMatchObject({ goal: '', capacity: null });
  });
});
