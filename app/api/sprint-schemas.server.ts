import { z } from 'zod';
import { sprintStates } from '~/domain/sprint-rules';
import { id, isoDateTime, itemStatusSchema, itemTypeSchema } from './schemas.server';

/** Response schemas of the sprint and review operations. */

const calendarDay = z.string().meta({ description: 'A calendar day, YYYY-MM-DD' });
const points = z.number().int().nullable().meta({ description: 'Story points; null when unestimated' });

export const sprintSchema = z
  .object({
    id,
    productId: id,
    name: z.string(),
    startDate: calendarDay,
    endDate: calendarDay,
    goal: z.string(),
    capacity: z.number().int().nullable(),
    state: z.enum(sprintStates),
    goalMet: z
      .boolean()
      .nullable()
      .meta({ description: 'The product owner’s call at the review; null until closed' }),
    goalNote: z.string(),
    reviewSessionId: id.nullable(),
    createdAt: isoDateTime,
    startedAt: isoDateTime.nullable(),
    closedAt: isoDateTime.nullable(),
  })
  .meta({ title: 'Sprint' });

const velocitySummarySchema = z
  .object({
    average: z.number().nullable(),
    lowest: z.number().nullable(),
    highest: z.number().nullable(),
    sprints: z.number().int(),
  })
  .meta({
    title: 'VelocitySummary',
    description: 'Accepted points of the last three to five closed sprints; null figures below three',
  });

export const sprintRowSchema = sprintSchema
  .extend({
    committedPoints: z.number().int(),
    velocity: z.number().int().meta({ description: 'Accepted points (final once the sprint is closed)' }),
    items: z.number().int(),
    done: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    enteredNotReady: z.number().int(),
  })
  .meta({ title: 'SprintRow' });

export const sprintListSchema = z.object({
  sprints: z.array(sprintRowSchema),
  velocity: velocitySummarySchema,
});

export const velocitySchema = z.object({
  sprints: z.array(
    z.object({
      id,
      name: z.string(),
      startDate: calendarDay,
      endDate: calendarDay,
      committed: z.number().int(),
      accepted: z.number().int(),
    }),
  ),
  summary: velocitySummarySchema,
});

const lineSchema = z
  .object({
    line: z.string().meta({
      description:
        '`criterion:<digest>` (of the scenario’s text: a tick stays with its scenario wherever it moves, and an edit makes a new line) or `dod:<id>`',
    }),
    label: z.string(),
    met: z.boolean().nullable().meta({ description: 'null: not checked yet' }),
    feedback: z.string().meta({ description: 'What is needed, for a line not met' }),
  })
  .meta({ title: 'ReviewLine' });

const checklistLineSchema = lineSchema
  .extend({
    changedSinceTicked: z.boolean().meta({
      description:
        'Not ticked because its criterion was edited after a tick; the old tick is in outdatedTicks',
    }),
  })
  .meta({ title: 'ReviewChecklistLine' });

const outdatedTickSchema = z
  .object({
    line: z.string(),
    label: z.string().meta({ description: 'The line’s label when it was ticked' }),
    met: z.boolean(),
    reason: z.enum(['changed', 'removed']),
    replacedBy: z
      .string()
      .nullable()
      .meta({ description: 'The line that now reads in its place, when changed' }),
  })
  .meta({
    title: 'OutdatedTick',
    description:
      'A tick made on a line that was edited or removed since. One marked not met blocks the accept until the product owner clears it (POST the line with met null).',
  });

const sprintItemStateSchema = z.enum([
  'committed',
  'done',
  'accepted',
  'rejected',
  'returned',
  'moved_on',
  'removed',
]);

export const sprintViewSchema = z
  .object({
    sprint: sprintSchema.omit({ createdAt: true }).extend({ productName: z.string() }),
    role: z.string(),
    may: z.object({ plan: z.boolean(), setDone: z.boolean(), decide: z.boolean(), feedback: z.boolean() }),
    review: z.object({ sessionId: id, ended: z.boolean(), joinCode: z.string().nullable() }).nullable(),
    items: z.array(
      z.object({
        id,
        title: z.string(),
        description: z.string().meta({ description: 'The item’s description, as plain text' }),
        type: itemTypeSchema,
        status: itemStatusSchema,
        estimate: points,
        state: sprintItemStateSchema,
        pointsAtCommit: points,
        pointsAtReview: points,
        notReadyReason: z.string().nullable(),
        addedAt: isoDateTime,
        doneAt: isoDateTime.nullable(),
        outcome: z.enum(['accepted', 'rejected']).nullable(),
        outcomeNote: z.string(),
        unfinishedDecision: z.enum(['backlog', 'next_sprint']).nullable(),
        nextSprintId: id.nullable(),
        nextSprintName: z.string().nullable(),
        lines: z.array(checklistLineSchema),
        outdatedTicks: z.array(outdatedTickSchema),
      }),
    ),
    feedback: z.array(
      z.object({
        id,
        text: z.string(),
        itemId: id.nullable(),
        createdAt: isoDateTime,
        author: z.string(),
        createdItem: z.object({ id, title: z.string() }).nullable(),
      }),
    ),
    velocity: z.number().int(),
    commitment: z.object({
      committed: z.number().int(),
      reference: z.number().nullable(),
      over: z.boolean(),
      basis: z.enum(['velocity', 'capacity', 'none']),
    }),
    recentVelocity: velocitySummarySchema,
    candidates: z.array(
      z.object({
        id,
        title: z.string(),
        type: itemTypeSchema,
        status: itemStatusSchema,
        estimate: points,
        ready: z.boolean(),
        problems: z.array(z.string()),
      }),
    ),
  })
  .meta({ title: 'SprintView' });

const reportItemSchema = z.object({
  id,
  title: z.string(),
  type: z.string(),
  points,
  state: z.string(),
  note: z.string(),
  lines: z.array(lineSchema),
  unfinishedDecision: z.enum(['backlog', 'next_sprint']).nullable(),
  nextSprintName: z.string().nullable(),
  notReadyReason: z.string().nullable(),
});

export const reviewReportSchema = z
  .object({
    sprint: z.object({
      id,
      name: z.string(),
      productName: z.string(),
      goal: z.string(),
      startDate: calendarDay,
      endDate: calendarDay,
      state: z.string(),
      goalMet: z.boolean().nullable(),
      goalNote: z.string(),
      capacity: z.number().int().nullable(),
      closedAt: z.string().nullable(),
    }),
    velocity: z.number().int(),
    committedPoints: z.number().int(),
    accepted: z.array(reportItemSchema),
    rejected: z.array(reportItemSchema),
    awaiting: z.array(reportItemSchema),
    unfinished: z.array(reportItemSchema),
    feedback: z.array(
      z.object({
        id,
        text: z.string(),
        author: z.string(),
        itemTitle: z.string().nullable(),
        createdItem: z.object({ id, title: z.string() }).nullable(),
      }),
    ),
    newItems: z.array(z.object({ id, title: z.string(), fromFeedback: z.string() })),
  })
  .meta({ title: 'ReviewReport' });
