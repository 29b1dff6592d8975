import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { backlogItems, decisions, sprints } from '../../../db/schema';
import { type Burndown, type BurnupPoint, burndown, burnup, type ScopeEvent } from '~/domain/burndown';
import { AppError } from '~/domain/errors';
import { authorize, isUuid } from '~/services/products.server';
import { sprintHistory } from './history.server';

/** Decision-log kinds that change a sprint's scope or progress (app/domain/sprint-rules.ts), as scope events. */
const sprintEventOf: Record<string, 'added' | 'removed' | 'done' | 'reopened' | undefined> = {
  sprint_item_added: 'added',
  sprint_item_removed: 'removed',
  sprint_item_done: 'done',
  sprint_item_undone: 'reopened',
  sprint_item_accepted: 'done',
  sprint_item_rejected: 'reopened',
};

interface Entry {
  kind: string;
  itemId: string | null;
  after: unknown;
  createdAt: Date;
}

const pointsIn = (after: unknown): number | null => {
  const value =
    (after as { points?: unknown; estimate?: unknown } | null)?.points ??
    (after as { estimate?: unknown } | null)?.estimate;
  return typeof value === 'number' ? value : null;
};

/** Maps a sprint's decision-log entries (and estimate edits of its items) to scope events, in log order. */
export function sprintEvents(entries: readonly Entry[]): ScopeEvent[] {
  const events: ScopeEvent[] = [];
  for (const e of entries) {
    if (!e.itemId) continue;
    if (e.kind === 'edited') {
      events.push({ at: e.createdAt, kind: 'estimated', itemId: e.itemId, points: pointsIn(e.after) });
      continue;
    }
    const kind = sprintEventOf[e.kind];
    if (kind === 'added') events.push({ at: e.createdAt, kind, itemId: e.itemId, points: pointsIn(e.after) });
    else if (kind === 'removed' || kind === 'done' || kind === 'reopened')
      events.push({ at: e.createdAt, kind, itemId: e.itemId });
  }
  return events;
}

async function loadSprintOf(db: Db, sprintId: string, userId: string) {
  if (!isUuid(sprintId)) throw new AppError('not_found', 'No such sprint');
  const [sprint] = await db.select().from(sprints).where(eq(sprints.id, sprintId));
  if (!sprint) throw new AppError('not_found', 'No such sprint');
  await authorize(db, sprint.productId, userId, 'product.view');
  return sprint;
}

/**
 * The burndown of one sprint, computed from the decision log (no authorisation: callers check it). Its days are
 * the viewer's (`timeZone`): a change at 18:00 in Los Angeles counts on that day there, though UTC has moved on.
 */
export async function computeSprintBurndown(
  db: Db,
  sprint: Pick<typeof sprints.$inferSelect, 'id' | 'productId' | 'startDate' | 'endDate' | 'startedAt'>,
  now = new Date(),
  timeZone = 'UTC',
): Promise<Burndown> {
  const entries = await db
    .select({
      kind: decisions.kind,
      itemId: decisions.itemId,
      after: decisions.after,
      createdAt: decisions.createdAt,
    })
    .from(decisions)
    .where(
      and(
        eq(decisions.productId, sprint.productId),
        sql`(
          (${decisions.kind} in ('sprint_item_added','sprint_item_removed','sprint_item_done','sprint_item_undone','sprint_item_accepted','sprint_item_rejected')
            and ${decisions.after}->>'sprintId' = ${sprint.id})
          or (${decisions.kind} = 'edited' and ${decisions.after}->'estimate' is not null
            and ${decisions.itemId} in (select item_id from sprint_items where sprint_id = ${sprint.id}))
        )`,
      ),
    )
    .orderBy(asc(decisions.id));
  return burndown(
    {
      start: new Date(`${sprint.startDate}T00:00:00Z`),
      end: new Date(`${sprint.endDate}T00:00:00Z`),
      startedAt: sprint.startedAt,
    },
    sprintEvents(entries),
    now,
    timeZone,
  );
}

/** The burndown of a sprint, for anyone who may see the product. */
export async function sprintBurndown(db: Db, sprintId: string, userId: string, timeZone = 'UTC') {
  const sprint = await loadSprintOf(db, sprintId, userId);
  return {
    sprint: {
      id: sprint.id,
      name: sprint.name,
      startDate: sprint.startDate,
      endDate: sprint.endDate,
      state: sprint.state,
    },
    burndown: await computeSprintBurndown(db, sprint, new Date(), timeZone),
  };
}

/**
 * Burn-up of an epic: its stories' scope and accepted points at the end of each sprint. Scope comes from when each
 * story was created and its estimate edits; done from review acceptances (a rejection takes it back).
 */
export async function computeEpicBurnup(
  db: Db,
  epic: { id: string; productId: string },
): Promise<BurnupPoint[]> {
  const history = await sprintHistory(db, epic.productId);
  const children = await db
    .select({ id: backlogItems.id, estimate: backlogItems.estimate, createdAt: backlogItems.createdAt })
    .from(backlogItems)
    .where(eq(backlogItems.parentId, epic.id));
  if (children.length === 0 || history.sprints.length === 0) return [];
  const entries = await db
    .select({
      kind: decisions.kind,
      itemId: decisions.itemId,
      after: decisions.after,
      before: decisions.before,
      createdAt: decisions.createdAt,
    })
    .from(decisions)
    .where(
      and(
        inArray(
          decisions.itemId,
          children.map((c) => c.id),
        ),
        inArray(decisions.kind, [
          'edited',
          'sprint_item_accepted',
          'sprint_item_rejected',
          'archived',
          'restored',
        ]),
      ),
    )
    .orderBy(asc(decisions.id));
  const firstEstimate = new Map<string, number | null>();
  for (const e of entries) {
    const before = e.before as { estimate?: unknown } | null;
    if (e.kind === 'edited' && before && 'estimate' in before && !firstEstimate.has(e.itemId!)) {
      firstEstimate.set(e.itemId!, typeof before.estimate === 'number' ? before.estimate : null);
    }
  }
  // Imported or seeded stories may have decisions older than their row: scope counts from the earliest of both.
  const firstSeen = new Map<string, Date>();
  for (const row of await db
    .select({
      itemId: decisions.itemId,
      at: sql<Date>`min(${decisions.createdAt})`.mapWith(decisions.createdAt),
    })
    .from(decisions)
    .where(
      inArray(
        decisions.itemId,
        children.map((c) => c.id),
      ),
    )
    .groupBy(decisions.itemId)) {
    if (row.itemId) firstSeen.set(row.itemId, row.at);
  }
  const events: ScopeEvent[] = children.map((c) => ({
    at: new Date(Math.min(c.createdAt.getTime(), firstSeen.get(c.id)?.getTime() ?? Number.POSITIVE_INFINITY)),
    kind: 'added',
    itemId: c.id,
    points: firstEstimate.has(c.id) ? firstEstimate.get(c.id)! : c.estimate,
  }));
  for (const e of entries) {
    const itemId = e.itemId!;
    if (e.kind === 'edited' && (e.after as { estimate?: unknown } | null)?.estimate !== undefined) {
      events.push({ at: e.createdAt, kind: 'estimated', itemId, points: pointsIn(e.after) });
    } else if (e.kind === 'sprint_item_accepted') events.push({ at: e.createdAt, kind: 'done', itemId });
    else if (e.kind === 'sprint_item_rejected') events.push({ at: e.createdAt, kind: 'reopened', itemId });
    else if (e.kind === 'archived') events.push({ at: e.createdAt, kind: 'removed', itemId });
    else if (e.kind === 'restored') {
      const child = children.find((c) => c.id === itemId);
      events.push({ at: e.createdAt, kind: 'added', itemId, points: child?.estimate ?? null });
    }
  }
  const periods = history.sprints
    .filter((s) => s.state !== 'planned')
    // A sprint's results are final when it is closed at its review (often after its last day).
    .map((s) => ({
      label: s.name,
      end: s.closedAt ?? new Date(Date.parse(`${s.endDate}T00:00:00Z`) + 86_399_999),
    }));
  return burnup(periods, events);
}

/** Burn-up of an epic, for anyone who may see the product. */
export async function epicBurnup(db: Db, epicId: string, userId: string) {
  if (!isUuid(epicId)) throw new AppError('not_found', 'No such epic');
  const [epic] = await db
    .select({
      id: backlogItems.id,
      productId: backlogItems.productId,
      type: backlogItems.type,
      title: backlogItems.title,
    })
    .from(backlogItems)
    .where(eq(backlogItems.id, epicId));
  if (!epic) throw new AppError('not_found', 'No such epic');
  await authorize(db, epic.productId, userId, 'product.view');
  if (epic.type !== 'epic')
    throw new AppError('invalid', 'Burn-up is drawn for an epic; this item is not one');
  return { epic: { id: epic.id, title: epic.title }, points: await computeEpicBurnup(db, epic) };
}
