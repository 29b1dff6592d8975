import { z } from 'zod';
import { defineOperation, type Operation } from '~/api/operation.server';
import { id, isoDateTime } from '~/api/schemas.server';
import { AppError } from '~/domain/errors';
import { goalRiskResponses, goalRiskStates } from '~/domain/goal-risk';
import { runSprintCommand } from '~/services/sprints/commands.server';
import { loadSprint } from '~/services/sprints/common.server';
import { goalRiskResponseSchema, sprintGoalRisk } from '~/services/sprints/goal-risk.server';
import { productIdParam } from './backlog.server';
import { knownTimeZone } from './metrics.server';

/*
 * The sprint goal at risk, said early (issue 18): the projection from the burndown, the history of state changes
 * and the product owner's responses. Everyone in the product reads it; only the product owner responds.
 */

const sprintIdParam = { description: 'The sprint’s id (a sprint of this product)', format: 'uuid' } as const;
const tag = 'Sprints';
const calendarDay = z.string().meta({ description: 'A calendar day, YYYY-MM-DD' });

export const projectionSchema = z
  .object({
    state: z.enum(goalRiskStates),
    scope: z.number().meta({ description: 'All points in scope today, done or not' }),
    remaining: z.number().meta({ description: 'Points in scope and not done today' }),
    pace: z.number().meta({ description: 'Points a day: the average burn of the sprint’s finished days' }),
    shortfall: z
      .number()
      .int()
      .meta({ description: 'Points projected to be left at the end of the last day (0 unless at risk)' }),
    projectedFinish: calendarDay.nullable().meta({
      description: 'The day the remaining points would be done at this pace; null for never or all done',
    }),
    lastDay: calendarDay,
    daysLeft: z.number().int().meta({ description: 'Today and the days after it within the sprint' }),
  })
  .meta({
    title: 'GoalRiskProjection',
    description:
      'The pace is the points completed on the sprint’s finished days (before today) divided by their number; the projection at the end is the points remaining minus the pace times the days left (today included). More than nothing left is at_risk; too_early before two finished days or without estimated work.',
  });

const historySchema = z
  .object({
    id,
    kind: z.enum(['at_risk', 'back_on_track', 'response']),
    at: isoDateTime,
    projection: projectionSchema.nullable().meta({ description: 'The projection when the state changed' }),
    summary: z.string().meta({ description: 'The projection in words, or the response’s label' }),
    response: z.enum(goalRiskResponses).nullable(),
    note: z.string(),
    actorName: z.string().nullable().meta({ description: 'Who responded; null for the state changes' }),
  })
  .meta({ title: 'GoalRiskEvent' });

export const getGoalRiskOperation = defineOperation({
  operationId: 'getGoalRisk',
  method: 'GET',
  path: '/products/{productId}/sprints/{sprintId}/goal-risk',
  summary: 'Is the sprint goal at risk? The projection from the burndown, and the history with the responses',
  description:
    'For every member of the product, stakeholders included. The first time a running sprint is seen at risk, and the first time it is back on track, is recorded (decision log `sprint_goal_at_risk`, `sprint_goal_back_on_track`). ' +
    'projection is null for a sprint that is planned or closed. A sprint of another product is 404.',
  tag,
  auth: 'token',
  params: { productId: productIdParam, sprintId: sprintIdParam },
  query: z.object({
    timeZone: z
      .string()
      .max(64)
      .refine(knownTimeZone, 'timeZone must be an IANA time zone, such as Europe/Berlin')
      .default('UTC')
      .meta({ description: 'The IANA time zone whose calendar days the burndown counts' }),
  }),
  success: {
    status: 200,
    description: 'The projection now and the history, oldest first',
    schema: z
      .object({
        sprintId: id,
        projection: projectionSchema.nullable(),
        summary: z.string().nullable().meta({ description: 'The projection in words' }),
        history: z.array(historySchema),
        mayRespond: z.boolean().meta({ description: 'The caller may record a response now' }),
      })
      .meta({ title: 'GoalRisk' }),
  },
  errors: [404],
  async handler({ services, user, params, query }) {
    return sprintGoalRisk(services.db, params.productId, params.sprintId, user.id, query.timeZone);
  },
});

export const respondToGoalRiskOperation = defineOperation({
  operationId: 'respondToGoalRisk',
  method: 'POST',
  path: '/products/{productId}/sprints/{sprintId}/goal-risk/responses',
  summary:
    'Record the response to a sprint goal at risk: cut scope, swap items, or accept the risk (product owner)',
  description:
    'With a note (required, at most 2000 characters) for the team and the stakeholders; recorded in the risk history and the decision log (`sprint_goal_risk_response`). ' +
    '403 for the team and stakeholders; 409 when the goal is not at risk or the sprint is not running.',
  tag,
  auth: 'token',
  params: { productId: productIdParam, sprintId: sprintIdParam },
  body: goalRiskResponseSchema,
  success: {
    status: 201,
    description: 'The response is recorded',
    schema: z
      .object({ id, sprintId: id, response: z.enum(goalRiskResponses), note: z.string(), at: isoDateTime })
      .meta({ title: 'GoalRiskResponse' }),
  },
  errors: [403, 404, 409],
  async handler({ services, user, params, body }) {
    const sprint = await loadSprint(services.db, params.sprintId);
    if (sprint.productId !== params.productId) throw new AppError('not_found', 'No such sprint');
    return (
      await runSprintCommand(
        services,
        'respondToGoalRisk',
        { sprintId: params.sprintId, productId: params.productId },
        user.id,
        body,
      )
    ).result;
  },
});

export const goalRiskOperations: readonly Operation[] = [getGoalRiskOperation, respondToGoalRiskOperation];
