import { and, asc, desc, eq, gt, max } from 'drizzle-orm';
import { generateNKeysBetween } from 'fractional-indexing';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { parseCriteria } from '~/domain/gherkin';
import { mayEditText } from '~/domain/policies';
import { can } from '~/domain/roles';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { lockProduct } from '~/services/backlog/items.server';
import { queueCreatePush } from '~/services/trackers/push.server';
import type { Db } from '../../../db/client';
import { backlogItems, sessionAgenda } from '../../../db/schema';
import { sessionCommand } from './commands.server';

export const splitSchema = z.strictObject({
  children: z
    .array(
      z.strictObject({
        title: z
          .string()
          .trim()
          .min(1, 'Each new story needs a title')
          .max(300, 'A title is at most 300 characters'),
        criteria: z.string().max(50_000, 'Acceptance criteria must be at most 50,000 characters').default(''),
      }),
    )
    .min(1, 'Give at least one new story')
    .max(20, 'At most 20 stories at once'),
  /** where the new stories go: right below the split item (default), or at the top or bottom (product owner only) */
  position: z
    .enum(['below', 'top', 'bottom'], { message: 'position must be below, top or bottom' })
    .default('below'),
});
export type SplitInput = z.input<typeof splitSchema>;

/**
 * Splits the current item into child stories. An epic keeps its children; a story that is split becomes an epic
 * holding the new stories. The new stories join the agenda right after the split item, so the room can refine
 * and estimate them at once.
 */
export async function splitItem(db: Db, sessionId: string, actorId: string, raw: SplitInput) {
  const input = splitSchema.parse(raw);
  input.children.forEach((child, i) => {
    if (!child.criteria.trim()) return;
    const parsed = parseCriteria(child.criteria);
    if (!parsed.ok) {
      const first = parsed.errors[0];
      throw new AppError(
        'invalid',
        `Story ${i + 1}: acceptance criteria do not parse${first.line ? ` at line ${first.line}` : ''}: ${first.message}`,
        {
          field: 'children',
        },
      );
    }
  });
  return sessionCommand(db, sessionId, actorId, async (tx, access) => {
    if (!mayEditText(access.role))
      throw new AppError('forbidden', 'Only the product owner and the team split items');
    if (input.position !== 'below' && !can(access.role, 'backlog.order')) {
      throw new AppError(
        'forbidden',
        'Only the product owner places items at the top or bottom of the backlog',
      );
    }
    const itemId = access.session.currentItemId;
    if (!itemId) throw new AppError('conflict', 'There is no current item to split');
    const { productId } = access.session;
    await lockProduct(tx, productId);
    const [item] = await tx.select().from(backlogItems).where(eq(backlogItems.id, itemId));
    if (!item || item.status === 'archived')
      throw new AppError('conflict', 'The current item is archived; restore it before splitting');
    if (item.type !== 'epic' && item.type !== 'story')
      throw new AppError('invalid', 'Only epics and stories are split into stories');

    let ranks: string[];
    if (input.position === 'below') {
      const [next] = await tx
        .select({ rank: backlogItems.rank })
        .from(backlogItems)
        .where(and(eq(backlogItems.productId, productId), gt(backlogItems.rank, item.rank)))
        .orderBy(asc(backlogItems.rank))
        .limit(1);
      ranks = generateNKeysBetween(item.rank, next?.rank ?? null, input.children.length);
    } else {
      const [edge] = await tx
        .select({ rank: backlogItems.rank })
        .from(backlogItems)
        .where(eq(backlogItems.productId, productId))
        .orderBy(input.position === 'top' ? asc(backlogItems.rank) : desc(backlogItems.rank))
        .limit(1);
      ranks =
        input.position === 'top'
          ? generateNKeysBetween(null, edge?.rank ?? null, input.children.length)
          : generateNKeysBetween(edge?.rank ?? null, null, input.children.length);
    }
    const entries = [];
    if (item.type === 'story') {
      await tx
        .update(backlogItems)
        .set({ type: 'epic', updatedAt: new Date() })
        .where(eq(backlogItems.id, item.id));
      entries.push({
        productId,
        itemId: item.id,
        actorId,
        kind: 'split' as const,
        before: { type: 'story' },
        after: { type: 'epic', children: input.children.length },
        sessionId,
      });
    } else {
      entries.push({
        productId,
        itemId: item.id,
        actorId,
        kind: 'split' as const,
        after: { children: input.children.length },
        sessionId,
      });
    }
    const created = await tx
      .insert(backlogItems)
      .values(
        input.children.map((child, i) => ({
          productId,
          type: 'story' as const,
          title: child.title,
          criteria: child.criteria,
          parentId: item.id,
          rank: ranks[i],
          labels: item.labels,
          createdBy: actorId,
        })),
      )
      .returning({ id: backlogItems.id, title: backlogItems.title });
    // A linked item's children become issues under it in Jira (sent after the commit; decision 0038).
    for (const child of created) await queueCreatePush(tx, productId, child.id, item.id);
    for (const child of created) {
      entries.push({
        productId,
        itemId: child.id,
        actorId,
        kind: 'created' as const,
        after: { title: child.title, type: 'story', splitFrom: item.id },
        sessionId,
      });
    }
    await recordDecisions(tx, entries);

    // The new stories follow the split item on the agenda.
    const agenda = await tx
      .select()
      .from(sessionAgenda)
      .where(eq(sessionAgenda.sessionId, sessionId))
      .orderBy(asc(sessionAgenda.position));
    const at = agenda.find((a) => a.itemId === item.id);
    const after = at
      ? at.position
      : ((
          await tx
            .select({ p: max(sessionAgenda.position) })
            .from(sessionAgenda)
            .where(eq(sessionAgenda.sessionId, sessionId))
        )[0].p ?? -1);
    const timebox = at?.timeboxSeconds ?? 600;
    for (const entry of agenda.filter((a) => a.position > after).reverse()) {
      await tx
        .update(sessionAgenda)
        .set({ position: entry.position + created.length })
        .where(and(eq(sessionAgenda.sessionId, sessionId), eq(sessionAgenda.itemId, entry.itemId)));
    }
    await tx.insert(sessionAgenda).values(
      created.map((c, i) => ({
        sessionId,
        itemId: c.id,
        position: after + 1 + i,
        timeboxSeconds: timebox,
      })),
    );
    return { productId, parentId: item.id, created };
  });
}
