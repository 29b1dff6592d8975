import { z } from 'zod';
import { reportFileName, reportMarkdown } from '~/domain/review-report';
import { runSprintCommand } from '~/services/sprints/commands.server';
import { addItemSchema, doneSchema, removeItemSchema } from '~/services/sprints/planning.server';
import {
  acceptSchema,
  closeSprintSchema,
  convertFeedbackSchema,
  criterionResultSchema,
  feedbackSchema,
  rejectSchema,
  unfinishedSchema,
} from '~/services/sprints/review.server';
import {
  createSprint,
  createSprintSchema,
  listSprints,
  updateSprintSchema,
} from '~/services/sprints/sprints.server';
import { reviewReport, sprintView } from '~/services/sprints/view.server';
import { defineOperation, FileResult, type Operation } from '~/api/operation.server';
import { id, isoDateTime } from '~/api/schemas.server';
import {
  reviewReportSchema,
  sprintListSchema,
  sprintSchema,
  sprintViewSchema,
} from '~/api/sprint-schemas.server';
import { productIdParam } from './backlog.server';

/*
 * Sprints and sprint reviews. The product owner plans and decides; the team pulls items and sets them done;
 * stakeholders and the review's guests give feedback. A closed sprint refuses every change with 409.
 */

const sprintIdParam = { description: 'The sprint’s id', format: 'uuid' } as const;
const itemIdParam = { description: 'The backlog item’s id (an item of the sprint)', format: 'uuid' } as const;
const tag = 'Sprints';

export const listSprintsOperation = defineOperation({
  operationId: 'listSprints',
  method: 'GET',
  path: '/products/{productId}/sprints',
  summary: 'The product’s sprints, newest first, with committed and accepted points, and the recent velocity',
  tag,
  auth: 'token',
  params: { productId: productIdParam },
  success: { status: 200, description: 'The sprints', schema: sprintListSchema },
  errors: [404],
  async handler({ services, user, params }) {
    return listSprints(services.db, params.productId, user.id);
  },
});

export const createSprintOperation = defineOperation({
  operationId: 'createSprint',
  method: 'POST',
  path: '/products/{productId}/sprints',
  summary: 'Plan a sprint: name, dates, goal in value terms, capacity (product owner)',
  tag,
  auth: 'token',
  params: { productId: productIdParam },
  body: createSprintSchema,
  success: { status: 201, description: 'The new sprint (planned)', schema: sprintSchema },
  errors: [403, 404],
  async handler({ services, user, params, body }) {
    return createSprint(services.db, params.productId, user.id, body);
  },
});

export const getSprintOperation = defineOperation({
  operationId: 'getSprint',
  method: 'GET',
  path: '/sprints/{sprintId}',
  summary:
    'A sprint with its items, review checklists, feedback, commitment against velocity and planning candidates',
  description: 'Members of the product, and guests of the sprint’s review (with their guest token).',
  tag,
  auth: 'participant',
  params: { sprintId: sprintIdParam },
  success: { status: 200, description: 'The sprint', schema: sprintViewSchema },
  errors: [404],
  async handler({ services, actorId, params }) {
    return sprintView(services.db, params.sprintId, actorId);
  },
});

export const updateSprintOperation = defineOperation({
  operationId: 'updateSprint',
  method: 'PATCH',
  path: '/sprints/{sprintId}',
  summary: 'Change name, dates, goal or capacity, or start the sprint with state=active (product owner)',
  description:
    'One sprint runs at a time per product. A sprint is closed at its review (closeSprint), never here.',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam },
  body: updateSprintSchema,
  success: { status: 200, description: 'The sprint', schema: sprintSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return (await runSprintCommand(services, 'updateSprint', { sprintId: params.sprintId }, user.id, body))
      .result;
  },
});

export const addItemToSprintOperation = defineOperation({
  operationId: 'addItemToSprint',
  method: 'POST',
  path: '/sprints/{sprintId}/items',
  summary: 'Pull a backlog item into the sprint (product owner and team)',
  description:
    'An item that is not ready or is blocked is refused with 409 saying why, unless the product owner gives a `reason`; ' +
    'the answer then lists the warning. Pulling past ready items higher in the backlog is allowed and warned about.',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam },
  body: addItemSchema,
  success: {
    status: 201,
    description: 'The item is in the sprint',
    schema: z.object({
      sprintId: id,
      itemId: id,
      points: z.number().int().nullable(),
      notReady: z.boolean(),
      warnings: z.array(z.string()),
    }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return (await runSprintCommand(services, 'addItemToSprint', { sprintId: params.sprintId }, user.id, body))
      .result;
  },
});

export const removeItemFromSprintOperation = defineOperation({
  operationId: 'removeItemFromSprint',
  method: 'POST',
  path: '/sprints/{sprintId}/items/{itemId}/remove',
  summary: 'Take an item out of the sprint; it returns to its status before (product owner and team)',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam, itemId: itemIdParam },
  body: removeItemSchema,
  success: { status: 204, description: 'Removed', schema: undefined },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    await runSprintCommand(
      services,
      'removeItemFromSprint',
      { sprintId: params.sprintId, itemId: params.itemId },
      user.id,
      body,
    );
  },
});

export const setItemDoneOperation = defineOperation({
  operationId: 'setItemDone',
  method: 'POST',
  path: '/sprints/{sprintId}/items/{itemId}/done',
  summary: 'Move an item of the running sprint to done, or back (team and product owner)',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam, itemId: itemIdParam },
  body: doneSchema,
  success: { status: 204, description: 'Done (or not)', schema: undefined },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    await runSprintCommand(
      services,
      'setItemDone',
      { sprintId: params.sprintId, itemId: params.itemId },
      user.id,
      body,
    );
  },
});

export const startReviewOperation = defineOperation({
  operationId: 'startReview',
  method: 'POST',
  path: '/sprints/{sprintId}/review',
  summary:
    'Start the sprint review: a live session whose agenda is the done items, then the unfinished ones (product owner)',
  description:
    'Join it like any session (joinSession); guests join by /join/{joinCode} and may give feedback.',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam },
  body: z.strictObject({}),
  success: {
    status: 201,
    description: 'The review session',
    schema: z.object({ sessionId: id, joinCode: z.string(), agenda: z.array(id) }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params }) {
    return (await runSprintCommand(services, 'startReview', { sprintId: params.sprintId }, user.id, {}))
      .result;
  },
});

export const setCriterionResultOperation = defineOperation({
  operationId: 'setCriterionResult',
  method: 'POST',
  path: '/sprints/{sprintId}/items/{itemId}/lines',
  summary:
    'Tick a line of a done item’s checklist met or not met, or clear it with null (product owner, live)',
  description:
    'Use the line keys the sprint view lists: `criterion:<digest>` for a Gherkin scenario (named by its text, so a ' +
    'tick stays with its scenario and an edited scenario is a new, un-ticked line) and `dod:<id>` for a Definition ' +
    'of Done line. A tick made on a line that has since changed or gone (`outdatedTicks`) can only be cleared (null).',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam, itemId: itemIdParam },
  body: criterionResultSchema,
  success: { status: 204, description: 'Recorded and shown live', schema: undefined },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    await runSprintCommand(
      services,
      'setCriterionResult',
      { sprintId: params.sprintId, itemId: params.itemId },
      user.id,
      body,
    );
  },
});

const outcomeSchema = z.object({
  sprintId: id,
  itemId: id,
  outcome: z.enum(['accepted', 'rejected']),
  points: z.number().int().nullable(),
});

export const acceptItemOperation = defineOperation({
  operationId: 'acceptItem',
  method: 'POST',
  path: '/sprints/{sprintId}/items/{itemId}/accept',
  summary: 'Accept a done item: every criterion and Definition of Done line must be met (product owner)',
  description:
    'Refused with 409 naming the lines not met or not yet checked, and while a line ticked not met has since been ' +
    'edited or removed (until that tick is cleared). Its points count toward the sprint’s velocity.',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam, itemId: itemIdParam },
  body: acceptSchema,
  success: { status: 200, description: 'Accepted', schema: outcomeSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return (
      await runSprintCommand(
        services,
        'acceptItem',
        { sprintId: params.sprintId, itemId: params.itemId },
        user.id,
        body,
      )
    ).result;
  },
});

export const rejectItemOperation = defineOperation({
  operationId: 'rejectItem',
  method: 'POST',
  path: '/sprints/{sprintId}/items/{itemId}/reject',
  summary: 'Reject a done item with feedback naming each unmet line and what is needed (product owner)',
  description:
    'At least one line must be marked not met, and `feedback` must cover every unmet line (400 otherwise). The item ' +
    'returns to the top of the backlog with its feedback, for the next refinement.',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam, itemId: itemIdParam },
  body: rejectSchema,
  success: { status: 200, description: 'Rejected', schema: outcomeSchema },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return (
      await runSprintCommand(
        services,
        'rejectItem',
        { sprintId: params.sprintId, itemId: params.itemId },
        user.id,
        body,
      )
    ).result;
  },
});

export const addReviewFeedbackOperation = defineOperation({
  operationId: 'addReviewFeedback',
  method: 'POST',
  path: '/sprints/{sprintId}/feedback',
  summary:
    'Give feedback in the review, on an item of the sprint or the current one (members and guests who joined)',
  description: 'Feedback never changes the sprint; the product owner may turn it into a new backlog item.',
  tag,
  auth: 'participant',
  params: { sprintId: sprintIdParam },
  body: feedbackSchema,
  success: {
    status: 201,
    description: 'The feedback note',
    schema: z.object({ id, text: z.string(), itemId: id.nullable(), createdAt: isoDateTime }),
  },
  errors: [403, 404, 409],
  async handler({ services, actorId, params, body }) {
    return (
      await runSprintCommand(services, 'addReviewFeedback', { sprintId: params.sprintId }, actorId, body)
    ).result;
  },
});

export const convertFeedbackToItemOperation = defineOperation({
  operationId: 'convertFeedbackToItem',
  method: 'POST',
  path: '/sprints/{sprintId}/feedback/convert',
  summary: 'Turn a feedback note into a new backlog item placed where you choose (product owner)',
  description:
    'The new item is in no sprint: feedback asking for new things never changes the current sprint.',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam },
  body: convertFeedbackSchema,
  success: {
    status: 201,
    description: 'The new backlog item',
    schema: z.object({ itemId: id, title: z.string(), noteId: id }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return (
      await runSprintCommand(services, 'convertFeedbackToItem', { sprintId: params.sprintId }, user.id, body)
    ).result;
  },
});

export const decideUnfinishedItemOperation = defineOperation({
  operationId: 'decideUnfinishedItem',
  method: 'POST',
  path: '/sprints/{sprintId}/items/{itemId}/unfinished',
  summary:
    'Decide an unfinished item: back to the backlog at a chosen place, or into the next sprint (product owner)',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam, itemId: itemIdParam },
  body: unfinishedSchema,
  success: { status: 204, description: 'Decided', schema: undefined },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    await runSprintCommand(
      services,
      'decideUnfinishedItem',
      { sprintId: params.sprintId, itemId: params.itemId },
      user.id,
      body,
    );
  },
});

export const closeSprintOperation = defineOperation({
  operationId: 'closeSprint',
  method: 'POST',
  path: '/sprints/{sprintId}/close',
  summary: 'Close the sprint at its review, saying whether its goal was met (product owner)',
  description:
    'Every done item must be accepted or rejected and every unfinished one decided (409 otherwise). Ends the review session.',
  tag,
  auth: 'token',
  params: { sprintId: sprintIdParam },
  body: closeSprintSchema,
  success: {
    status: 200,
    description: 'Closed',
    schema: z.object({
      sprintId: id,
      velocity: z.number().int(),
      accepted: z.number().int(),
      rejected: z.number().int(),
    }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    return (await runSprintCommand(services, 'closeSprint', { sprintId: params.sprintId }, user.id, body))
      .result;
  },
});

export const getReviewReportOperation = defineOperation({
  operationId: 'getReviewReport',
  method: 'GET',
  path: '/sprints/{sprintId}/report',
  summary:
    'The review report: goal and whether it was met, accepted and rejected items with checklists and feedback, new items, velocity',
  description: 'As JSON, or as a Markdown file with `format=markdown`.',
  tag,
  auth: 'participant',
  params: { sprintId: sprintIdParam },
  query: z.strictObject({
    format: z
      .enum(['json', 'markdown'], { message: 'format must be json or markdown' })
      .default('json')
      .meta({ description: 'json (default) or markdown' }),
  }),
  success: {
    status: 200,
    description: 'The report',
    schema: reviewReportSchema,
    files: [
      { mediaType: 'text/markdown', description: 'With format=markdown: the report as a Markdown document' },
    ],
  },
  errors: [404],
  async handler({ services, actorId, params, query }) {
    const report = await reviewReport(services.db, params.sprintId, actorId);
    if (query.format === 'markdown')
      return new FileResult(reportMarkdown(report), 'text/markdown', reportFileName(report.sprint.name));
    return report;
  },
});

export const sprintOperations: readonly Operation[] = [
  listSprintsOperation,
  createSprintOperation,
  getSprintOperation,
  updateSprintOperation,
  addItemToSprintOperation,
  removeItemFromSprintOperation,
  setItemDoneOperation,
  startReviewOperation,
  setCriterionResultOperation,
  acceptItemOperation,
  rejectItemOperation,
  addReviewFeedbackOperation,
  convertFeedbackToItemOperation,
  decideUnfinishedItemOperation,
  closeSprintOperation,
  getReviewReportOperation,
];
