import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { products } from './products';
import { sprints } from './sprints';
import { users } from './users';

export const goalRiskEventKind = pgEnum('goal_risk_event_kind', ['at_risk', 'back_on_track', 'response']);
export const goalRiskResponseKind = pgEnum('goal_risk_response_kind', ['scope_cut', 'swap', 'accept_risk']);

/**
 * A sprint goal's risk history (issue 18): the first time the projection missed, the first time it was back on
 * track, and the product owner's responses, in order. One row per state change: `seq` numbers the state changes of
 * a sprint, unique, so two readers who see the same change at once record it once.
 */
export const sprintGoalRiskEvents = pgTable(
  'sprint_goal_risk_events',
  {
    id: id(),
    sprintId: uuid('sprint_id')
      .notNull()
      .references(() => sprints.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: goalRiskEventKind('kind').notNull(),
    /** the state change's number within the sprint (1, 2, …); null for responses */
    seq: integer('seq'),
    /** the projection when the state changed (scope, remaining, shortfall, projectedFinish, lastDay, pace) */
    projection: jsonb('projection'),
    response: goalRiskResponseKind('response'),
    note: text('note').notNull().default(''),
    /** who responded; null for the state changes, which the projection records by itself */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('sprint_goal_risk_events_sprint_idx').on(t.sprintId, t.createdAt),
    uniqueIndex('sprint_goal_risk_events_seq_idx').on(t.sprintId, t.seq),
  ],
);
