import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import { jiraFieldsFor } from '~/domain/jira-fields';
import { rankPlacement } from '~/domain/jira-rank';
import type { SyncedValues } from '~/domain/tracker';
import type { Db, Tx } from '../../../db/client';
import { backlogItems, trackerConnections, trackerLinks, trackerOutbox } from '../../../db/schema';
import type { TrackerPushOp } from '../../../db/schema/trackers';
import { openConnection } from './connections.server';
import type { TrackerDeps } from './deps.server';
import { asTrackerError } from './jira-connector.server';

/** The item's link to a tracker issue, when the product is connected and the item linked. */
async function linkOf(tx: Db | Tx, itemId: string) {
  const [link] = await tx
    .select({
      productId: trackerLinks.productId,
      issueKey: trackerLinks.issueKey,
      commentDecisions: trackerConnections.commentDecisions,
    })
    .from(trackerLinks)
    .innerJoin(trackerConnections, eq(trackerConnections.productId, trackerLinks.productId))
    .where(eq(trackerLinks.itemId, itemId));
  return link ?? null;
}

/**
 * Queues, in the caller's transaction, what a decision changes in the tracker for a linked item: written with
 * the decision or not at all, sent afterwards in order (decision 0038). Nothing for an unlinked item.
 */
export async function queueFieldPush(
  tx: Db | Tx,
  itemId: string,
  changes: Partial<SyncedValues>,
  reason?: string,
) {
  const link = await linkOf(tx, itemId);
  if (!link) return;
  await tx.insert(trackerOutbox).values({
    productId: link.productId,
    itemId,
    push: { op: 'fields', issueKey: link.issueKey, changes },
  });
  await queueDecisionComment(tx, link, itemId, reason);
}

/** With "comment each decision" on, the decision and its reason also go to the issue as a comment. */
async function queueDecisionComment(
  tx: Db | Tx,
  link: { productId: string; issueKey: string; commentDecisions: boolean },
  itemId: string,
  text: string | undefined,
) {
  if (!link.commentDecisions || !text?.trim()) return;
  await tx.insert(trackerOutbox).values({
    productId: link.productId,
    itemId,
    push: { op: 'comment', issueKey: link.issueKey, text: `Decided in Refinery: ${text.trim()}` },
  });
}

/** A move in Refinery: the issue is ranked next to its new neighbour among the linked items. */
export async function queueRankPush(tx: Db | Tx, itemId: string, reason?: string) {
  const link = await linkOf(tx, itemId);
  if (!link) return;
  const order = await tx
    .select({ key: trackerLinks.issueKey })
    .from(trackerLinks)
    .innerJoin(backlogItems, eq(backlogItems.id, trackerLinks.itemId))
    .where(eq(trackerLinks.productId, link.productId))
    .orderBy(asc(backlogItems.rank));
  const placement = rankPlacement(
    order.map((o) => o.key),
    link.issueKey,
  );
  if (!placement) return;
  await tx.insert(trackerOutbox).values({
    productId: link.productId,
    itemId,
    push: { op: 'rank', issueKey: link.issueKey, ...placement },
  });
  await queueDecisionComment(tx, link, itemId, reason && `moved in the backlog order. ${reason}`);
}

/** A review's outcome: the mapped status, and a comment (the unmet lines and what is needed, for a reject). */
export async function queueReviewPush(
  tx: Db | Tx,
  itemId: string,
  outcome: 'accepted' | 'rejected',
  comment: string | null,
) {
  const link = await linkOf(tx, itemId);
  if (!link) return;
  const [connection] = await tx
    .select({ statusMap: trackerConnections.statusMap })
    .from(trackerConnections)
    .where(eq(trackerConnections.productId, link.productId));
  const toStatus = connection?.statusMap[outcome] ?? null;
  const pushes: TrackerPushOp[] = [];
  if (toStatus) pushes.push({ op: 'transition', issueKey: link.issueKey, toStatus });
  if (comment) pushes.push({ op: 'comment', issueKey: link.issueKey, text: comment });
  if (pushes.length > 0)
    await tx
      .insert(trackerOutbox)
      .values(pushes.map((push) => ({ productId: link.productId, itemId, push })));
}

/**
 * A new item that belongs in Jira too: a split's child of a linked item (created under its issue), or review
 * feedback turned into an item in a connected product. Created when sent, then linked.
 */
export async function queueCreatePush(
  tx: Db | Tx,
  productId: string,
  itemId: string,
  parentItemId: string | null,
) {
  const [connection] = await tx
    .select({ productId: trackerConnections.productId })
    .from(trackerConnections)
    .where(eq(trackerConnections.productId, productId));
  if (!connection) return;
  let parentKey: string | null = null;
  if (parentItemId) {
    const parent = await linkOf(tx, parentItemId);
    if (!parent) return;
    parentKey = parent.issueKey;
  }
  await tx
    .insert(trackerOutbox)
    .values({ productId, itemId, push: { op: 'create', itemId, parentKey, issueType: '' } });
}

const issueTypeOf: Record<string, string> = { epic: 'Epic', bug: 'Bug' };

/** Creates the issue for an item and links them; the project is the parent's, or that of the product's issues. */
async function createIssueFor(
  deps: TrackerDeps,
  productId: string,
  push: Extract<TrackerPushOp, { op: 'create' }>,
  map: NonNullable<typeof trackerConnections.$inferSelect.fieldMap>,
  connector: NonNullable<Awaited<ReturnType<typeof openConnection>>>['connector'],
) {
  const [already] = await deps.db.select().from(trackerLinks).where(eq(trackerLinks.itemId, push.itemId));
  if (already) return;
  const [item] = await deps.db.select().from(backlogItems).where(eq(backlogItems.id, push.itemId));
  if (!item) return;
  const [anyLink] = await deps.db
    .select({ key: trackerLinks.issueKey })
    .from(trackerLinks)
    .where(eq(trackerLinks.productId, productId))
    .limit(1);
  const projectKey = (push.parentKey ?? anyLink?.key ?? '').split('-')[0];
  if (!projectKey)
    throw Object.assign(new Error('No Jira project to create the issue in: import issues first'), {
      permanent: true,
    });
  // Jira nests stories under an epic only: a child of a story (a split) becomes an issue of its own that says
  // where it came from.
  const [parentLink] = push.parentKey
    ? await deps.db
        .select({ type: trackerLinks.issueType })
        .from(trackerLinks)
        .where(and(eq(trackerLinks.productId, productId), eq(trackerLinks.issueKey, push.parentKey)))
    : [];
  const underEpic = push.parentKey !== null && parentLink?.type?.toLowerCase() === 'epic';
  const values: SyncedValues = {
    summary: item.title,
    description:
      push.parentKey && !underEpic
        ? `${item.description}\n\nSplit from ${push.parentKey} in Refinery.`.trim()
        : item.description,
    criteria: item.criteria || null,
    storyPoints: item.estimate,
    labels: item.labels,
    parentKey: underEpic ? push.parentKey : null,
  };
  const fields = {
    ...jiraFieldsFor(values, map, connector.format, { description: '' }),
    project: { key: projectKey },
    issuetype: { name: push.issueType || (issueTypeOf[item.type] ?? 'Story') },
  };
  const created = await connector.create(fields);
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(trackerLinks)
      .values({
        itemId: item.id,
        productId,
        issueKey: created.key,
        issueId: created.id,
        url: `${connector.siteUrl}/browse/${created.key}`,
        base: values,
      })
      .onConflictDoNothing();
    await tx.update(backlogItems).set({ externalKey: created.key }).where(eq(backlogItems.id, item.id));
  });
}

const backoffMs = (attempts: number) => Math.min(5 * 60_000, 1000 * 2 ** attempts);

/**
 * Sends the product's queued pushes in order. A rate limit or an outage stops the queue until Retry-After (or a
 * backoff), so the order holds; a refusal (403, a transition the workflow lacks) marks that push failed with
 * Jira's message, shown on the status panel, and the queue goes on. A push sent twice (a crash between sending
 * and marking) sets the same values again: every push is idempotent but a comment.
 */
export async function sendPushes(deps: TrackerDeps, productId: string, limit = 50) {
  const now = new Date();
  const pending = await deps.db
    .select()
    .from(trackerOutbox)
    .where(
      and(
        eq(trackerOutbox.productId, productId),
        eq(trackerOutbox.state, 'pending'),
        or(isNull(trackerOutbox.notBefore), lte(trackerOutbox.notBefore, now)),
      ),
    )
    .orderBy(asc(trackerOutbox.seq))
    .limit(limit);
  if (pending.length === 0) return 0;
  const open = await openConnection(deps, productId);
  if (!open?.row.fieldMap) return 0;
  const { connector } = open;
  const fieldMap = open.row.fieldMap;
  let sent = 0;
  for (const entry of pending) {
    try {
      const push = entry.push;
      switch (push.op) {
        case 'fields': {
          const current = entry.itemId
            ? (
                await deps.db
                  .select({ description: backlogItems.description })
                  .from(backlogItems)
                  .where(eq(backlogItems.id, entry.itemId))
              )[0]
            : undefined;
          const fields = jiraFieldsFor(push.changes, fieldMap, connector.format, current);
          if (Object.keys(fields).length > 0) await connector.edit(push.issueKey, fields);
          await agreeOn(deps.db, entry.itemId, push.changes);
          break;
        }
        case 'rank': {
          const { issueKey, op: _op, ...placement } = push;
          if (placement.rankBeforeIssue)
            await connector.rank(issueKey, { rankBeforeIssue: placement.rankBeforeIssue });
          else if (placement.rankAfterIssue)
            await connector.rank(issueKey, { rankAfterIssue: placement.rankAfterIssue });
          break;
        }
        case 'transition':
          if (!(await connector.transition(push.issueKey, push.toStatus)))
            throw Object.assign(
              new Error(`No transition leads ${push.issueKey} to “${push.toStatus}” in Jira’s workflow`),
              {
                permanent: true,
              },
            );
          break;
        case 'comment':
          await connector.comment(push.issueKey, push.text);
          break;
        case 'create':
          await createIssueFor(deps, productId, push, fieldMap, connector);
          break;
      }
      await deps.db
        .update(trackerOutbox)
        .set({ state: 'done', doneAt: new Date(), lastError: null })
        .where(eq(trackerOutbox.id, entry.id));
      sent += 1;
    } catch (error) {
      const permanent = (error as { permanent?: boolean }).permanent === true;
      const failure = permanent ? null : asTrackerError(error);
      if (failure?.transient) {
        await deps.db
          .update(trackerOutbox)
          .set({
            attempts: entry.attempts + 1,
            lastError: failure.message,
            notBefore: new Date(Date.now() + (failure.retryAfterMs ?? backoffMs(entry.attempts))),
          })
          .where(eq(trackerOutbox.id, entry.id));
        // Later pushes wait behind this one, so the tracker sees the decisions in the order they were made.
        const behind = pending
          .filter((p) => p.createdAt >= entry.createdAt && p.id !== entry.id)
          .map((p) => p.id);
        if (behind.length > 0)
          await deps.db
            .update(trackerOutbox)
            .set({ notBefore: new Date(Date.now() + (failure.retryAfterMs ?? backoffMs(entry.attempts))) })
            .where(inArray(trackerOutbox.id, behind));
        break;
      }
      await deps.db
        .update(trackerOutbox)
        .set({
          state: 'failed',
          attempts: entry.attempts + 1,
          lastError: (failure ?? (error as Error)).message,
        })
        .where(eq(trackerOutbox.id, entry.id));
      if (failure?.kind === 'unauthorized') {
        await deps.db
          .update(trackerConnections)
          .set({ lastError: `Jira refused the token: ${failure.message}` })
          .where(eq(trackerConnections.productId, productId));
        break;
      }
    }
  }
  return sent;
}

/** After a push, the pushed values are what both sides agree on. */
async function agreeOn(db: Db, itemId: string | null, changes: Partial<SyncedValues>) {
  if (!itemId) return;
  const [link] = await db
    .select({ base: trackerLinks.base })
    .from(trackerLinks)
    .where(eq(trackerLinks.itemId, itemId));
  if (!link) return;
  await db
    .update(trackerLinks)
    .set({ base: { ...link.base, ...changes } })
    .where(eq(trackerLinks.itemId, itemId));
}
