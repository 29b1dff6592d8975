import { and, asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { backlogItems } from '../../../db/schema';
import { AppError } from '../../domain/errors';
import { round2 } from '../../domain/wsjf';
import { authorize } from '../products.server';

/**
 * Backlog hygiene: which items are candidates to archive. An item is a candidate when nobody has touched it for
 * at least `untouchedDays`, or when its WSJF is at most `maxWsjf` (by default the bottom quartile of the scored
 * backlog). Work in a sprint or finished work is never a candidate: cleanup is about what may never be built.
 * ("Beyond the next three sprints at full capacity" needs sprints and velocity, which come later.)
 */
export const cleanupOptionsSchema = z.strictObject({
  untouchedDays: z.number().int('Days must be a whole number').min(1, 'At least 1 day').max(3650, 'At most 3650 days'),
  /** undefined: the bottom quartile of the scored items; null: no WSJF criterion */
  maxWsjf: z.number().min(0, 'The WSJF threshold cannot be negative').max(1000, 'The WSJF threshold must be at most 1000').nullable().optional(),
});
export type CleanupOptions = z.input<typeof cleanupOptionsSchema>;

/** Statuses that may be archived as cleanup; in-sprint, done and accepted items are committed or finished work. */
export const cleanupStatuses = ['new', 'refined', 'ready', 'rejected'] as const;

export type CandidateReason = { kind: 'untouched'; days: number } | { kind: 'low_wsjf'; wsjf: number; maxWsjf: number };

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

/**
 * The WSJF at or below which the lowest quarter of the scored items lie (nearest-rank first quartile), or null
 * when nothing is scored.
 */
export function bottomQuartile(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const sorted = [...scores].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.25) - 1)];
}

/** Archive candidates in backlog order, each with the reason(s) it is one. */
export async function archiveCandidates(db: Db, productId: string, userId: string, options: CleanupOptions, now = new Date()) {
  await authorize(db, productId, userId, 'product.view');
  const parsed = cleanupOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid', issue.message, { field: String(issue.path[0] ?? 'untouchedDays') });
  }
  const { untouchedDays, maxWsjf } = parsed.data;
  const items = await db
    .select({
      id: backlogItems.id,
      title: backlogItems.title,
      type: backlogItems.type,
      status: backlogItems.status,
      wsjf: backlogItems.wsjf,
      updatedAt: backlogItems.updatedAt,
    })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), ne(backlogItems.status, 'archived')))
    .orderBy(asc(backlogItems.rank));
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
      reasons.push({ kind: 'untouched', days: Math.floor((now.getTime() - item.updatedAt.getTime()) / dayMs) });
    }
    if (threshold !== null && item.wsjf !== null && item.wsjf <= threshold) {
      reasons.push({ kind: 'low_wsjf', wsjf: round2(item.wsjf), maxWsjf: round2(threshold) });
    }
    if (reasons.length > 0) candidates.push({ ...item, position: index + 1, reasons });
  });
  return {
    untouchedDays,
    cutoff,
    /** the WSJF threshold used, null when none applied */
    maxWsjf: threshold === null ? null : round2(threshold),
    bottomQuartile: quartile === null ? null : round2(quartile),
    scoredCount: scores.length,
    itemCount: items.length,
    items: candidates,
  };
}
