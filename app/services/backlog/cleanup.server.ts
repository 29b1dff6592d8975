import { and, asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import { bottomQuartile, type CleanupHorizon, cleanupHorizon, isBeyondHorizon } from '~/domain/cleanup';
import { AppError } from '~/domain/errors';
import { round2 } from '~/domain/wsjf';
import { computeBacklogForecast } from '~/services/metrics/forecast.server';
import { sprintHistory } from '~/services/metrics/history.server';
import { authorize } from '~/services/products.server';

/**
 * Backlog hygiene: which items are candidates to archive. An item is a candidate when nobody has touched it for
 * at least `untouchedDays`, when its WSJF is at most `maxWsjf` (by default the bottom quartile of the scored
 * backlog), or when it would not be done in the next three sprints even at the highest recent velocity (once three
 * sprints are closed; `beyondHorizon: false` leaves that rule out). Work in a sprint or finished work is never a
 * candidate: cleanup is about what may never be built.
 */
export const cleanupOptionsSchema = z.strictObject({
  untouchedDays: z
    .number()
    .int('Days must be a whole number')
    .min(1, 'At least 1 day')
    .max(3650, 'At most 3650 days'),
  /** undefined: the bottom quartile of the scored items; null: no WSJF criterion */
  maxWsjf: z
    .number()
    .min(0, 'The WSJF threshold cannot be negative')
    .max(1000, 'The WSJF threshold must be at most 1000')
    .nullable()
    .optional(),
  /** the "beyond the next three sprints at full capacity" rule; on unless false */
  beyondHorizon: z.boolean().optional(),
});
export type CleanupOptions = z.input<typeof cleanupOptionsSchema>;

/** Statuses that may be archived as cleanup; in-sprint, done and accepted items are committed or finished work. */
export const cleanupStatuses = ['new', 'refined', 'ready', 'rejected'] as const;

export type CandidateReason =
  | { kind: 'untouched'; days: number }
  | { kind: 'low_wsjf'; wsjf: number; maxWsjf: number }
  /** the sprint it can be done in at the earliest, after the horizon's last sprint */
  | { kind: 'beyond_horizon'; earliest: string; lastSprint: string; lowerBound: boolean };

/** The horizon as the page shows it: sprint names instead of numbers. */
export type HorizonView =
  | { kind: 'sprints'; firstSprint: string; lastSprint: string; highestVelocity: number; capacity: number }
  | Exclude<CleanupHorizon, { kind: 'sprints' }>;

export interface ArchiveCandidate {
  id: string;
  title: string;
  type: (typeof backlogItems.$inferSelect)['type'];
  status: (typeof backlogItems.$inferSelect)['status'];
  /** 1-based place in the whole order */
  position: number;
  wsjf: number | null;
  updatedAt: Date;
  reasons: CandidateReason[];
}

const dayMs = 86_400_000;
const finished = new Set(['done', 'accepted', 'archived']);

/** Archive candidates in backlog order, each with the reason(s) it is one. */
export async function archiveCandidates(
  db: Db,
  productId: string,
  userId: string,
  options: CleanupOptions,
  now = new Date(),
) {
  await authorize(db, productId, userId, 'product.view');
  const parsed = cleanupOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid', issue.message, { field: String(issue.path[0] ?? 'untouchedDays') });
  }
  const { untouchedDays, maxWsjf, beyondHorizon = true } = parsed.data;
  const [items, history] = await Promise.all([
    db
      .select({
        id: backlogItems.id,
        title: backlogItems.title,
        type: backlogItems.type,
        status: backlogItems.status,
        wsjf: backlogItems.wsjf,
        updatedAt: backlogItems.updatedAt,
        parentId: backlogItems.parentId,
      })
      .from(backlogItems)
      .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived')))
      .orderBy(asc(backlogItems.rank)),
    sprintHistory(db, productId),
  ]);
  // The forecast reuses the history just read: it is the same product's, in the same request.
  const forecast = beyondHorizon ? await computeBacklogForecast(db, productId, history) : null;
  const horizon = cleanupHorizon(history.velocities, history.firstSprint);
  // An epic with open stories is as late as its last one: it is judged by its stories, never archived for them.
  const epicsWithOpenChildren = new Set(
    items.flatMap((i) => (i.parentId && !finished.has(i.status) ? [i.parentId] : [])),
  );
  const scores = items.flatMap((i) => (i.wsjf === null ? [] : [i.wsjf]));
  const quartile = bottomQuartile(scores);
  const threshold = maxWsjf === undefined ? quartile : maxWsjf;
  const cutoff = new Date(now.getTime() - untouchedDays * dayMs);
  const eligible = new Set<string>(cleanupStatuses);
  const candidates: ArchiveCandidate[] = [];
  items.forEach((item, index) => {
    if (!eligible.has(item.status)) return;
    const reasons: CandidateReason[] = [];
    if (item.updatedAt.getTime() <= cutoff.getTime()) {
      reasons.push({
        kind: 'untouched',
        days: Math.floor((now.getTime() - item.updatedAt.getTime()) / dayMs),
      });
    }
    if (threshold !== null && item.wsjf !== null && item.wsjf <= threshold) {
      reasons.push({ kind: 'low_wsjf', wsjf: round2(item.wsjf), maxWsjf: round2(threshold) });
    }
    const expected = forecast?.rows.get(item.id)?.forecast;
    if (
      horizon.kind === 'sprints' &&
      !epicsWithOpenChildren.has(item.id) &&
      isBeyondHorizon(expected, horizon) &&
      expected?.kind === 'range'
    ) {
      reasons.push({
        kind: 'beyond_horizon',
        earliest: history.nameOf(expected.earliest),
        lastSprint: history.nameOf(horizon.lastSprint),
        lowerBound: expected.unestimatedThrough > 0,
      });
    }
    const { parentId: _parent, ...shown } = item;
    if (reasons.length > 0) candidates.push({ ...shown, position: index + 1, reasons });
  });
  return {
    untouchedDays,
    cutoff,
    /** the WSJF threshold used, null when none applied */
    maxWsjf: threshold === null ? null : round2(threshold),
    bottomQuartile: quartile === null ? null : round2(quartile),
    scoredCount: scores.length,
    itemCount: items.length,
    /** whether the horizon rule was asked for, and what the horizon is (or why there is none) */
    beyondHorizon,
    horizon: viewOf(horizon, history.nameOf),
    items: candidates,
  };
}

function viewOf(horizon: CleanupHorizon, nameOf: (n: number) => string): HorizonView {
  if (horizon.kind !== 'sprints') return horizon;
  return {
    kind: 'sprints',
    firstSprint: nameOf(horizon.firstSprint),
    lastSprint: nameOf(horizon.lastSprint),
    highestVelocity: horizon.highestVelocity,
    capacity: horizon.capacity,
  };
}
