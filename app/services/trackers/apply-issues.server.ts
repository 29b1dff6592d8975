import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { parseCriteria } from '~/domain/gherkin';
import { normalizeCriteria, normalizeDescription } from '~/domain/item-text';
import { mergeIssue } from '~/domain/sync-merge';
import type { SyncedField, SyncedValues, TrackerIssue } from '~/domain/tracker';
import { type DecisionInput, recordDecisions } from '~/services/backlog/decisions.server';
import { itemFieldsSchema, lockProduct, ranksAtBottom } from '~/services/backlog/items.server';
import type { LiveEffect } from '~/services/commands/live-effects.server';
import type { Tx } from '../../../db/client';
import { backlogItems, liveSessions, trackerLinks } from '../../../db/schema';
import type { TrackerPushOp } from '../../../db/schema/trackers';

type ItemRow = typeof backlogItems.$inferSelect;

export interface ApplyOutcome {
  created: number;
  updated: number;
  unchanged: number;
  /** per issue, what could not be taken as it is (kept elsewhere, or left out), for the job's log */
  warnings: Array<{ issueKey: string; message: string }>;
  effects: LiveEffect[];
  /** Refinery's own changes since the last sync, to send to the tracker */
  pushes: Array<{ itemId: string; push: TrackerPushOp }>;
}

const titleMax = (itemFieldsSchema.shape.title as unknown as { maxLength?: number }).maxLength ?? 200;

/** What an item holds of the synced fields (parentKey from the parent's link). */
function valuesOfItem(item: ItemRow, parentKey: string | null): SyncedValues {
  return {
    summary: item.title,
    description: normalizeDescription(item.description),
    criteria: item.criteria ? normalizeCriteria(item.criteria) : null,
    storyPoints: item.estimate,
    labels: item.labels,
    parentKey,
  };
}

function valuesOfIssue(issue: TrackerIssue): SyncedValues {
  return {
    summary: issue.summary,
    description: normalizeDescription(issue.description),
    criteria: issue.criteria ? normalizeCriteria(issue.criteria) : null,
    // An item's estimate is a whole number: Jira's 0.5 reads as 1 on both sides of the comparison, so a fractional
    // estimate is neither "changed in Jira" at every sync nor pushed back rounded.
    storyPoints:
      issue.storyPoints !== null && Number.isFinite(issue.storyPoints) && issue.storyPoints >= 0
        ? Math.ceil(issue.storyPoints)
        : null,
    labels: issue.labels,
    parentKey: issue.parentKey,
  };
}

/**
 * Takes one page of a tracker's issues into the product's backlog, in one transaction with the caller's progress
 * update: an issue seen for the first time becomes an item (appended in the tracker's order) linked to it; a
 * linked issue is merged field by field with the conflict rule (domain/sync-merge.ts): changed in Jira only →
 * taken; changed here only → pushed; changed on both → Jira's value kept and ours written to the decision log;
 * text being edited live in a refinement → Jira's value waits until the item leaves the session. Idempotent:
 * the same page twice changes nothing the second time.
 */
export async function applyIssues(
  tx: Tx,
  productId: string,
  actorId: string | null,
  issues: TrackerIssue[],
): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = {
    created: 0,
    updated: 0,
    unchanged: 0,
    warnings: [],
    effects: [],
    pushes: [],
  };
  if (issues.length === 0) return outcome;
  const links = await tx
    .select()
    .from(trackerLinks)
    .where(
      and(
        eq(trackerLinks.productId, productId),
        inArray(
          trackerLinks.issueId,
          issues.map((i) => i.id),
        ),
      ),
    );
  const linkOf = new Map(links.map((l) => [l.issueId, l]));
  // Items that already carry an issue's key but no link (a CSV import from Jira, an earlier connection) are linked,
  // not duplicated; with nothing agreed yet, Jira's values are taken where they differ.
  const firstSync = new Set<string>();
  const unlinkedKeys = issues.filter((i) => !linkOf.has(i.id)).map((i) => i.key);
  if (unlinkedKeys.length > 0) {
    const carrying = await tx
      .select({ id: backlogItems.id, key: backlogItems.externalKey })
      .from(backlogItems)
      .leftJoin(trackerLinks, eq(trackerLinks.itemId, backlogItems.id))
      .where(
        and(
          eq(backlogItems.productId, productId),
          inArray(backlogItems.externalKey, unlinkedKeys),
          isNull(trackerLinks.itemId),
        ),
      );
    for (const match of carrying) {
      const issue = issues.find((i) => i.key === match.key && !linkOf.has(i.id));
      if (!issue) continue;
      const [link] = await tx
        .insert(trackerLinks)
        .values({
          itemId: match.id,
          productId,
          issueKey: issue.key,
          issueId: issue.id,
          url: issue.url,
          base: valuesOfIssue(issue),
        })
        .returning();
      linkOf.set(issue.id, link);
      links.push(link);
      firstSync.add(issue.id);
    }
  }
  const items = links.length
    ? await tx
        .select()
        .from(backlogItems)
        .where(
          inArray(
            backlogItems.id,
            links.map((l) => l.itemId),
          ),
        )
    : [];
  const itemOf = new Map(items.map((i) => [i.id, i]));
  const live = await liveItemIds(tx, productId);
  const parents = await linkedItemsByKey(tx, productId);
  const decisions: DecisionInput[] = [];
  const changedIds: string[] = [];
  const fresh = issues.filter((issue) => !linkOf.has(issue.id));
  if (fresh.length > 0) await lockProduct(tx, productId);
  const ranks = fresh.length > 0 ? await ranksAtBottom(tx, productId, fresh.length) : [];

  for (const [index, issue] of fresh.entries()) {
    const theirs = valuesOfIssue(issue);
    const fields = itemFieldsFrom(issue, theirs, outcome.warnings);
    const id = randomUUID();
    const parent = issue.parentKey ? parents.get(issue.parentKey) : undefined;
    await tx.insert(backlogItems).values({
      id,
      productId,
      ...fields,
      type: issue.type,
      parentId: parent && parent.type === 'epic' ? parent.id : null,
      externalKey: issue.key,
      rank: ranks[index],
      createdBy: actorId,
    });
    parents.set(issue.key, { id, type: issue.type });
    await tx.insert(trackerLinks).values({
      itemId: id,
      productId,
      issueKey: issue.key,
      issueId: issue.id,
      url: issue.url,
      base: { ...theirs, criteria: fields.criteria || null, storyPoints: fields.estimate },
      issueUpdated: issue.updated,
      ...shownOf(issue),
    });
    if (actorId)
      decisions.push({
        productId,
        itemId: id,
        actorId,
        kind: 'imported',
        after: { title: fields.title, jira: issue.key },
        reason: `Imported from Jira ${issue.key}`,
      });
    changedIds.push(id);
    outcome.created += 1;
  }

  for (const issue of issues) {
    const link = linkOf.get(issue.id);
    if (!link) continue;
    const item = itemOf.get(link.itemId);
    if (!item) continue;
    const parentKey = item.parentId ? (keyOfItem(parents, item.parentId) ?? link.base.parentKey) : null;
    const ours = valuesOfItem(item, parentKey);
    const theirs = valuesOfIssue(issue);
    let base = link.base;
    if (theirs.criteria && !parseCriteria(theirs.criteria).ok) {
      // Jira's criteria are not Gherkin: not synced for now (neither taken nor overwritten by a pull).
      theirs.criteria = ours.criteria;
      base = { ...base, criteria: ours.criteria };
      outcome.warnings.push({
        issueKey: issue.key,
        message: 'Its acceptance criteria in Jira are not Gherkin: not synced',
      });
    }
    const liveFields = new Set<SyncedField>(live.has(item.id) ? ['description', 'criteria'] : []);
    const merged = mergeIssue(firstSync.has(issue.id) ? null : base, ours, theirs, { liveFields });
    const set: Partial<typeof backlogItems.$inferInsert> = {};
    const apply = merged.apply;
    if (apply.summary !== undefined) set.title = apply.summary.slice(0, titleMax) || item.title;
    if (apply.description !== undefined) set.description = apply.description;
    if (apply.criteria !== undefined) {
      const criteria = apply.criteria ?? '';
      if (criteria && !parseCriteria(criteria).ok)
        outcome.warnings.push({
          issueKey: issue.key,
          message: 'Its acceptance criteria in Jira are not Gherkin: kept ours',
        });
      else set.criteria = criteria;
    }
    if (apply.storyPoints !== undefined)
      set.estimate = pointsOf(apply.storyPoints, issue.key, outcome.warnings);
    if (apply.labels !== undefined) set.labels = apply.labels;
    if (apply.parentKey !== undefined) {
      const parent = apply.parentKey ? parents.get(apply.parentKey) : undefined;
      set.parentId = parent && parent.type === 'epic' && parent.id !== item.id ? parent.id : null;
    }
    if (issue.key !== link.issueKey || issue.key !== item.externalKey) set.externalKey = issue.key;
    const textChanged: Record<string, string> = {};
    if (set.description !== undefined) textChanged.description = set.description;
    if (set.criteria !== undefined) textChanged.criteria = set.criteria;
    if (Object.keys(set).length > 0) {
      await tx
        .update(backlogItems)
        .set({ ...set, updatedAt: new Date() })
        .where(eq(backlogItems.id, item.id));
      changedIds.push(item.id);
      if (Object.keys(textChanged).length > 0)
        outcome.effects.push({ to: 'itemText', itemId: item.id, texts: textChanged });
    }
    for (const conflict of merged.conflicts) {
      if (!actorId) continue;
      decisions.push({
        productId,
        itemId: item.id,
        actorId,
        kind: 'edited',
        before: { [conflict.field]: conflict.ours },
        after: { [conflict.field]: conflict.theirs },
        reason:
          conflict.outcome === 'deferred_live'
            ? `Jira ${issue.key} changed ${conflict.field} while it was being edited live here: Jira’s text waits until the item leaves the session`
            : `Changed in Jira ${issue.key} and here since the last sync: Jira’s value kept, ours recorded here`,
      });
    }
    if (Object.keys(merged.push).length > 0)
      outcome.pushes.push({
        itemId: item.id,
        push: { op: 'fields', issueKey: issue.key, changes: merged.push },
      });
    const deferred =
      Object.keys(merged.deferred).length > 0
        ? { ...(link.deferred ?? {}), ...merged.deferred }
        : link.deferred;
    await tx
      .update(trackerLinks)
      .set({
        ...shownOf(issue),
        base: merged.base,
        deferred: deferred ?? null,
        issueKey: issue.key,
        url: issue.url,
        issueUpdated: issue.updated,
        syncedAt: new Date(),
      })
      .where(eq(trackerLinks.itemId, item.id));
    if (Object.keys(set).length > 0) outcome.updated += 1;
    else outcome.unchanged += 1;
  }
  await recordDecisions(tx, decisions);
  if (changedIds.length > 0)
    outcome.effects.unshift({ to: 'backlog', productId, itemIds: changedIds, change: 'tracker_sync' });
  return outcome;
}

/** What Jira says of the issue that Refinery shows beside the item but does not sync. */
const shownOf = (issue: TrackerIssue) => ({
  issueStatus: issue.status.name,
  issueStatusCategory: issue.status.category,
  issuePriority: issue.priority,
  issueType: issue.typeName,
});

/**
 * A new item's fields from an issue. Acceptance criteria that are not Gherkin are left out (an item only holds
 * criteria that parse) with a warning; while Jira's stay so, criteria are not synced for that item.
 */
function itemFieldsFrom(issue: TrackerIssue, values: SyncedValues, warnings: ApplyOutcome['warnings']) {
  let criteria = values.criteria ?? '';
  if (criteria && !parseCriteria(criteria).ok) {
    warnings.push({
      issueKey: issue.key,
      message: 'Its acceptance criteria are not Gherkin: not imported (fix them in Jira, or write them here)',
    });
    criteria = '';
  }
  return {
    title: issue.summary.trim().slice(0, titleMax) || issue.key,
    description: values.description,
    criteria,
    estimate: pointsOf(issue.storyPoints, issue.key, warnings),
    labels: values.labels,
  };
}

function pointsOf(points: number | null, key: string, warnings: ApplyOutcome['warnings']): number | null {
  if (points === null) return null;
  if (!Number.isFinite(points) || points < 0) return null;
  if (!Number.isInteger(points)) {
    warnings.push({ issueKey: key, message: `${points} story points rounded up to ${Math.ceil(points)}` });
    return Math.ceil(points);
  }
  return points;
}

/** Items that are the current item of a refinement now: their text is being edited live. */
export async function liveItemIds(tx: Tx, productId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ itemId: liveSessions.currentItemId })
    .from(liveSessions)
    .where(
      and(
        eq(liveSessions.productId, productId),
        eq(liveSessions.kind, 'refinement'),
        isNull(liveSessions.endedAt),
      ),
    );
  return new Set(rows.map((r) => r.itemId).filter((id): id is string => id !== null));
}

async function linkedItemsByKey(tx: Tx, productId: string) {
  const rows = await tx
    .select({ key: trackerLinks.issueKey, id: backlogItems.id, type: backlogItems.type })
    .from(trackerLinks)
    .innerJoin(backlogItems, eq(backlogItems.id, trackerLinks.itemId))
    .where(eq(trackerLinks.productId, productId));
  return new Map(rows.map((r) => [r.key, { id: r.id, type: r.type }]));
}

const keyOfItem = (byKey: Map<string, { id: string }>, itemId: string) => {
  for (const [key, value] of byKey) if (value.id === itemId) return key;
  return undefined;
};

/**
 * Jira's text that waited while its item was being edited live (the conflict rule's exception): applied once the
 * item is no longer the current item of a running refinement. Returns the live effects to publish.
 */
export async function applyDeferred(tx: Tx, productId: string): Promise<LiveEffect[]> {
  const waiting = await tx
    .select({ itemId: trackerLinks.itemId, deferred: trackerLinks.deferred, base: trackerLinks.base })
    .from(trackerLinks)
    .where(and(eq(trackerLinks.productId, productId), isNotNull(trackerLinks.deferred)));
  if (waiting.length === 0) return [];
  const live = await liveItemIds(tx, productId);
  const effects: LiveEffect[] = [];
  const changed: string[] = [];
  for (const link of waiting) {
    if (live.has(link.itemId) || !link.deferred) continue;
    const texts: { description?: string; criteria?: string } = {};
    if (link.deferred.description !== undefined) texts.description = link.deferred.description;
    if (link.deferred.criteria !== undefined) {
      const criteria = link.deferred.criteria ?? '';
      if (!criteria || parseCriteria(criteria).ok) texts.criteria = criteria;
    }
    if (Object.keys(texts).length > 0) {
      await tx
        .update(backlogItems)
        .set({ ...texts, updatedAt: new Date() })
        .where(eq(backlogItems.id, link.itemId));
      effects.push({ to: 'itemText', itemId: link.itemId, texts });
      changed.push(link.itemId);
    }
    await tx
      .update(trackerLinks)
      .set({ base: { ...link.base, ...link.deferred }, deferred: null })
      .where(eq(trackerLinks.itemId, link.itemId));
  }
  if (changed.length > 0)
    effects.unshift({ to: 'backlog', productId, itemIds: changed, change: 'tracker_sync' });
  return effects;
}
