import { and, asc, desc, eq, gt, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { rankAtBottom, rankAtTop, rankBetween } from '~/domain/rank';
import {
  answerRequest,
  closedItemStatuses,
  countByState,
  itemDescriptionFrom,
  type Placement,
  type RequestState,
  requestStates,
  type TriageStep,
  triage,
} from '~/domain/requests';
import type { Role } from '~/domain/roles';
import { can } from '~/domain/roles';
import { type DecisionKind, recordDecisions } from '~/services/backlog/decisions.server';
import { lockProduct } from '~/services/backlog/items.server';
import { notify } from '~/services/notifications/notify.server';
import { authorize, isUuid } from '~/services/products.server';
import { hashToken, randomToken } from '~/services/secrets.server';
import type { Db, Tx } from '../../../db/client';
import {
  backlogItems,
  prioritisationCriteriaVersions,
  productRequestLinks,
  products,
  requestMessages,
  stakeholderRequests,
  users,
} from '../../../db/schema';
import { criteriaStamp, currentCriteria } from './criteria.server';

/* Stakeholder requests (issue 17, part 1): sent by members or by link, triaged by the product owner. */

const text = (name: string, max: number) =>
  z
    .string({ message: `${name} is required` })
    .trim()
    .max(max, `${name} must be at most ${max} characters`);

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (v: string) =>
  isoDate.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** What a requester writes: the problem, who has it, the value they expect, any deadline. */
export const requestFieldsSchema = z.strictObject({
  title: text('Title', 200).min(1, 'Give the request a short title'),
  problem: text('Problem', 5000).min(1, 'Describe the problem'),
  whoHasIt: text('Who has it', 1000).default(''),
  expectedValue: text('Expected value', 2000).default(''),
  deadline: z
    .string()
    .refine(validDate, 'The deadline must be a date (YYYY-MM-DD)')
    .nullable()
    .default(null)
    .meta({ description: 'Any deadline, as a date (YYYY-MM-DD); null for none' }),
  urgent: z
    .boolean({ message: 'urgent must be true or false' })
    .default(false)
    .meta({ description: 'Urgent, as the product’s agreed criteria define it' }),
});

/** A member's request; the team may record one that reached them around the product owner. */
export const sendRequestSchema = requestFieldsSchema.extend({
  channel: z
    .enum(['direct', 'around_po'], { message: 'channel must be direct or around_po' })
    .default('direct')
    .meta({ description: 'around_po: it reached the team around the product owner (recorded by the team)' }),
  broughtBy: text('Brought by', 200)
    .optional()
    .meta({ description: 'For around_po: who brought it to the team' }),
});
export type SendRequestInput = z.output<typeof sendRequestSchema>;

/** Someone with the product's request link, without an account, gives a name. */
export const linkRequestSchema = requestFieldsSchema.extend({
  name: text('Your name', 100).min(1, 'Give your name, so the product owner knows who asks'),
});
export type LinkRequestInput = z.output<typeof linkRequestSchema>;

const note = text('Note', 2000).optional();
export const triageSchema = z
  .discriminatedUnion(
    'action',
    [
      z.strictObject({
        action: z.literal('accept'),
        position: z.enum(['top', 'bottom', 'after'], { message: 'position must be top, bottom or after' }),
        afterItemId: z.uuid({ message: 'afterItemId must be an item id' }).optional(),
        note,
      }),
      z.strictObject({
        action: z.literal('merge'),
        itemId: z.uuid({ message: 'itemId must be an item id' }),
        note,
      }),
      z.strictObject({ action: z.literal('ask'), question: text('Question', 2000) }),
      z.strictObject({ action: z.literal('decline'), reason: text('Reason', 2000) }),
    ],
    { message: 'action must be accept, merge, ask or decline' },
  )
  .meta({ title: 'TriageRequest' });
export type TriageInput = z.output<typeof triageSchema>;

export const answerSchema = z.strictObject({ answer: text('Answer', 5000) });

/** What the product owner's answer tells a requester (also written as their `request_answered` notification). */
export interface RequestAnsweredEvent {
  type: 'request_answered';
  productId: string;
  requestId: string;
  state: Exclude<RequestState, 'new'>;
  title: string;
  /** the member who asked; null for a link user (they follow the request by its link) */
  requesterId: string | null;
  answer: string;
  itemId: string | null;
}

type RequestRow = typeof stakeholderRequests.$inferSelect;

/** Who may see what: the PO and the team read the whole inbox, a stakeholder only their own requests. */
const seesAll = (role: Role) => role === 'product_owner' || role === 'team_member';

const view = {
  id: stakeholderRequests.id,
  productId: stakeholderRequests.productId,
  title: stakeholderRequests.title,
  problem: stakeholderRequests.problem,
  whoHasIt: stakeholderRequests.whoHasIt,
  expectedValue: stakeholderRequests.expectedValue,
  deadline: stakeholderRequests.deadline,
  urgent: stakeholderRequests.urgent,
  channel: stakeholderRequests.channel,
  state: stakeholderRequests.state,
  answer: stakeholderRequests.answer,
  itemId: stakeholderRequests.itemId,
  requesterId: stakeholderRequests.requesterId,
  requesterName: sql<string>`coalesce(${stakeholderRequests.requesterName}, ${users.displayName}, 'someone')`,
  viaLink: sql<boolean>`${stakeholderRequests.followTokenHash} is not null`,
  criteriaVersion: prioritisationCriteriaVersions.version,
  decidedAt: stakeholderRequests.decidedAt,
  createdAt: stakeholderRequests.createdAt,
};

function selectRequests(db: Db | Tx) {
  return db
    .select(view)
    .from(stakeholderRequests)
    .leftJoin(users, eq(users.id, stakeholderRequests.requesterId))
    .leftJoin(
      prioritisationCriteriaVersions,
      eq(prioritisationCriteriaVersions.id, stakeholderRequests.criteriaVersionId),
    );
}
export type RequestView = Awaited<ReturnType<typeof selectRequests>>[number];

async function insertRequest(tx: Db | Tx, values: typeof stakeholderRequests.$inferInsert) {
  const [row] = await tx.insert(stakeholderRequests).values(values).returning({ id: stakeholderRequests.id });
  const [created] = await selectRequests(tx).where(eq(stakeholderRequests.id, row.id));
  return created;
}

/**
 * A member sends a request. Recording one that reached the team around the product owner (`around_po`, with who
 * brought it) is for the product owner and the team.
 */
export async function sendRequest(db: Db, productId: string, actorId: string, input: SendRequestInput) {
  const role = await authorize(db, productId, actorId, 'product.view');
  const aroundPo = input.channel === 'around_po';
  if (aroundPo && !seesAll(role))
    throw new AppError('forbidden', 'Only the product owner and the team record requests that reached them', {
      field: 'channel',
    });
  if (aroundPo && !input.broughtBy?.trim())
    throw new AppError('invalid', 'Say who brought the request to the team', { field: 'broughtBy' });
  const { channel, broughtBy, ...fields } = input;
  return insertRequest(db, {
    ...fields,
    productId,
    channel,
    requesterId: actorId,
    requesterName: aroundPo ? broughtBy?.trim() : null,
  });
}

/** The product's open request link for a token, or null (unknown, revoked, or not a token at all). */
export async function requestLinkByToken(db: Db, token: string) {
  if (!token || token.length > 200) return null;
  const [link] = await db
    .select({
      id: productRequestLinks.id,
      productId: productRequestLinks.productId,
      productName: products.name,
    })
    .from(productRequestLinks)
    .innerJoin(products, eq(products.id, productRequestLinks.productId))
    .where(and(eq(productRequestLinks.tokenHash, hashToken(token)), isNull(productRequestLinks.revokedAt)));
  return link ?? null;
}

const maxOpenLinkRequests = 1000;

/**
 * Someone without an account sends a request by the product's link. They get a secret follow token (shown once,
 * stored hashed) to read its state and the product owner's answer.
 */
export async function sendRequestByLink(db: Db, token: string, input: LinkRequestInput) {
  const link = await requestLinkByToken(db, token);
  if (!link) throw new AppError('not_found', 'This request link is not valid, or it was withdrawn');
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(stakeholderRequests)
    .where(and(eq(stakeholderRequests.linkId, link.id), eq(stakeholderRequests.state, 'new')));
  if (n >= maxOpenLinkRequests)
    throw new AppError('conflict', 'This product’s inbox is full for now; try again later');
  const followToken = randomToken('rqf_');
  const { name, ...fields } = input;
  const request = await insertRequest(db, {
    ...fields,
    productId: link.productId,
    requesterName: name,
    followTokenHash: hashToken(followToken),
    linkId: link.id,
  });
  return { request, followToken, productName: link.productName };
}

export const listRequestsSchema = z.strictObject({
  state: z.enum(requestStates, { message: `state must be one of ${requestStates.join(', ')}` }).optional(),
});

/**
 * The inbox: every request for the product owner and the team (read-only for the team), a stakeholder's own
 * requests for them; newest first, with counts per state over what the reader may see.
 */
export async function listRequests(
  db: Db,
  productId: string,
  userId: string,
  filter: z.output<typeof listRequestsSchema> = {},
) {
  const role = await authorize(db, productId, userId, 'product.view');
  const scope = seesAll(role)
    ? eq(stakeholderRequests.productId, productId)
    : and(eq(stakeholderRequests.productId, productId), eq(stakeholderRequests.requesterId, userId));
  const all = await selectRequests(db).where(scope).orderBy(desc(stakeholderRequests.createdAt));
  return {
    role,
    mayTriage: can(role, 'backlog.order'),
    counts: countByState(all),
    requests: filter.state ? all.filter((r) => r.state === filter.state) : all,
  };
}

async function messagesOf(db: Db | Tx, requestId: string) {
  return db
    .select({
      author: requestMessages.author,
      body: requestMessages.body,
      createdAt: requestMessages.createdAt,
    })
    .from(requestMessages)
    .where(eq(requestMessages.requestId, requestId))
    .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id));
}

export async function loadRequest(db: Db | Tx, productId: string, requestId: string): Promise<RequestRow> {
  if (!isUuid(requestId)) throw new AppError('not_found', 'No such request');
  const [row] = await db
    .select()
    .from(stakeholderRequests)
    .where(and(eq(stakeholderRequests.id, requestId), eq(stakeholderRequests.productId, productId)));
  if (!row) throw new AppError('not_found', 'No such request');
  return row;
}

/** One request with its thread. A stakeholder reads only their own (another's is not found). */
export async function getRequest(db: Db, productId: string, requestId: string, userId: string) {
  const role = await authorize(db, productId, userId, 'product.view');
  const row = await loadRequest(db, productId, requestId);
  if (!seesAll(role) && row.requesterId !== userId) throw new AppError('not_found', 'No such request');
  const [request] = await selectRequests(db).where(eq(stakeholderRequests.id, requestId));
  return { ...request, messages: await messagesOf(db, requestId) };
}

const decisionKindOf: Record<Exclude<RequestState, 'new'>, DecisionKind> = {
  accepted: 'request_accepted',
  merged: 'request_merged',
  declined: 'request_declined',
  needs_info: 'request_info_requested',
};

async function placementRank(tx: Tx, productId: string, placement: Placement): Promise<string> {
  const edge = async (dir: 'top' | 'bottom') => {
    const [row] = await tx
      .select({ rank: backlogItems.rank })
      .from(backlogItems)
      .where(eq(backlogItems.productId, productId))
      .orderBy(dir === 'top' ? asc(backlogItems.rank) : desc(backlogItems.rank))
      .limit(1);
    return row?.rank ?? null;
  };
  if (placement.at === 'top') return rankAtTop(await edge('top'));
  if (placement.at === 'bottom') return rankAtBottom(await edge('bottom'));
  const [after] = await tx
    .select({ rank: backlogItems.rank })
    .from(backlogItems)
    .where(eq(backlogItems.id, placement.itemId));
  const [next] = await tx
    .select({ rank: backlogItems.rank })
    .from(backlogItems)
    .where(and(eq(backlogItems.productId, productId), gt(backlogItems.rank, after.rank)))
    .orderBy(asc(backlogItems.rank))
    .limit(1);
  return rankBetween(after.rank, next?.rank ?? null);
}

/**
 * The product owner triages a request: accept it into the backlog at the chosen place (a new item linked to the
 * request), merge it into an open item, ask for more, or decline with a written reason. Each is logged with the
 * criteria version in force, which the request keeps. Returns the request and the event that answers the requester.
 */
export async function triageRequest(
  db: Db,
  productId: string,
  requestId: string,
  actorId: string,
  input: TriageInput,
) {
  await authorize(db, productId, actorId, 'backlog.order');
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    return triageInTransaction(tx, productId, requestId, actorId, input);
  });
}

/**
 * The triage itself, in the caller's transaction with the product locked (the caller checked the role): also how
 * an urgent request is accepted on its way into the running sprint (urgent.server.ts), so there is one accept.
 */
export async function triageInTransaction(
  tx: Tx,
  productId: string,
  requestId: string,
  actorId: string,
  input: TriageInput,
  /** false: the caller tells the requester itself, in one notification with what else it did (an urgent swap) */
  { notifyRequester = true }: { notifyRequester?: boolean } = {},
) {
  const request = await loadRequest(tx, productId, requestId);
  const targetId =
    input.action === 'merge' ? input.itemId : input.action === 'accept' ? (input.afterItemId ?? null) : null;
  const [target] =
    targetId && isUuid(targetId)
      ? await tx
          .select({
            id: backlogItems.id,
            productId: backlogItems.productId,
            status: backlogItems.status,
            title: backlogItems.title,
          })
          .from(backlogItems)
          .where(eq(backlogItems.id, targetId))
      : [];
  const step: TriageStep =
    input.action === 'accept'
      ? {
          action: 'accept',
          placement:
            input.position === 'after'
              ? input.afterItemId
                ? { at: 'after', itemId: input.afterItemId }
                : null
              : { at: input.position },
          note: input.note,
        }
      : input.action === 'merge'
        ? { action: 'merge', itemId: input.itemId, note: input.note }
        : input;
  if (step.action === 'accept' && !step.placement)
    throw new AppError('invalid', 'Choose the item to place it after', { field: 'afterItemId' });
  const outcome = triage(request.state, productId, step, target ?? null);
  if (!outcome.ok) throw new AppError(outcome.code, outcome.message, { field: outcome.field });
  const criteria = await currentCriteria(tx, productId);
  let itemId: string | null = request.itemId;
  const requesterName = await nameOf(tx, request);
  if (step.action === 'accept' && step.placement) {
    const rank = await placementRank(tx, productId, step.placement);
    const [item] = await tx
      .insert(backlogItems)
      .values({
        productId,
        title: request.title,
        description: itemDescriptionFrom({ ...request, requesterName }),
        rank,
        createdBy: actorId,
      })
      .returning({ id: backlogItems.id, title: backlogItems.title, type: backlogItems.type });
    itemId = item.id;
    await recordDecisions(tx, [
      {
        productId,
        itemId,
        actorId,
        kind: 'created',
        after: { title: item.title, type: item.type, position: step.placement.at, requestId },
      },
    ]);
  } else if (step.action === 'merge') itemId = step.itemId;
  const now = new Date();
  await tx
    .update(stakeholderRequests)
    .set({
      state: outcome.state,
      answer: outcome.answer,
      itemId,
      criteriaVersionId: criteria?.id ?? null,
      decidedBy: actorId,
      decidedAt: now,
      updatedAt: now,
    })
    .where(eq(stakeholderRequests.id, requestId));
  if (outcome.state === 'needs_info')
    await tx
      .insert(requestMessages)
      .values({ requestId, author: 'po', authorId: actorId, body: outcome.answer });
  const state = outcome.state as Exclude<RequestState, 'new'>;
  await recordDecisions(tx, [
    {
      productId,
      itemId,
      actorId,
      kind: decisionKindOf[state],
      before: { state: request.state },
      after: {
        state,
        requestId,
        title: request.title,
        requester: requesterName,
        channel: request.channel,
        ...(step.action === 'accept' && step.placement ? { position: step.placement.at } : {}),
        ...(step.action === 'merge' && target ? { mergedInto: target.title } : {}),
        ...criteriaStamp(criteria),
      },
      reason: outcome.answer,
    },
  ]);
  const [updated] = await selectRequests(tx).where(eq(stakeholderRequests.id, requestId));
  const event: RequestAnsweredEvent = {
    type: 'request_answered',
    productId,
    requestId,
    state,
    title: request.title,
    requesterId: request.requesterId,
    answer: outcome.answer,
    itemId,
  };
  if (notifyRequester)
    await notify(tx, {
      productId,
      kind: 'request_answered',
      to: { userIds: [request.requesterId] },
      actorId,
      text: answeredText(state, request.title),
      link: `/products/${productId}/requests`,
      data: { requestId, state, itemId },
    });
  return { request: updated, event };
}

/** The notification a member who asked reads; the reason itself is on their requests page. */
function answeredText(state: RequestAnsweredEvent['state'], title: string): string {
  switch (state) {
    case 'accepted':
      return `Your request “${title}” was accepted into the backlog`;
    case 'merged':
      return `Your request “${title}” was merged into an item already in the backlog`;
    case 'needs_info':
      return `The product owner asks for more about your request “${title}”`;
    case 'declined':
      return `Your request “${title}” was declined, with a reason`;
  }
}

export async function nameOf(tx: Db | Tx, request: RequestRow): Promise<string> {
  if (request.requesterName) return request.requesterName;
  if (!request.requesterId) return 'someone';
  const [user] = await tx
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, request.requesterId));
  return user?.name ?? 'someone';
}

async function storeAnswer(db: Db, request: RequestRow, authorId: string | null, answer: string) {
  const outcome = answerRequest(request.state, answer);
  if (!outcome.ok) throw new AppError(outcome.code, outcome.message, { field: outcome.field });
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(stakeholderRequests)
      .set({ state: 'new', updatedAt: new Date() })
      .where(and(eq(stakeholderRequests.id, request.id), eq(stakeholderRequests.state, 'needs_info')))
      .returning({ id: stakeholderRequests.id });
    if (!moved)
      throw new AppError('conflict', 'The product owner has not asked anything', { field: 'answer' });
    await tx
      .insert(requestMessages)
      .values({ requestId: request.id, author: 'requester', authorId, body: answer.trim() });
    const [updated] = await selectRequests(tx).where(eq(stakeholderRequests.id, request.id));
    return updated;
  });
}

/** The member who sent a request answers the product owner's question; it is new in the inbox again. */
export async function answerAsMember(
  db: Db,
  productId: string,
  requestId: string,
  userId: string,
  input: z.output<typeof answerSchema>,
) {
  await authorize(db, productId, userId, 'product.view');
  const request = await loadRequest(db, productId, requestId);
  if (request.requesterId !== userId || request.followTokenHash)
    throw new AppError(
      request.requesterId === userId ? 'forbidden' : 'not_found',
      request.requesterId === userId ? 'Only the person who sent it answers' : 'No such request',
    );
  if (request.channel === 'around_po')
    throw new AppError(
      'forbidden',
      'Answer for the person who brought it: record their answer as a new request',
    );
  return storeAnswer(db, request, userId, input.answer);
}

async function requestByFollowToken(db: Db, token: string): Promise<RequestRow | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select()
    .from(stakeholderRequests)
    .where(eq(stakeholderRequests.followTokenHash, hashToken(token)));
  return row ?? null;
}

/** What a link user reads by their follow link: the state, the answer or reason, and the thread. */
export async function followRequest(db: Db, token: string) {
  const row = await requestByFollowToken(db, token);
  if (!row) return null;
  const [request] = await selectRequests(db).where(eq(stakeholderRequests.id, row.id));
  const [product] = await db
    .select({ name: products.name })
    .from(products)
    .where(eq(products.id, row.productId));
  return { ...request, productName: product?.name ?? '', messages: await messagesOf(db, row.id) };
}

/** A link user answers the product owner's question by their follow link. */
export async function answerByFollowToken(db: Db, token: string, input: z.output<typeof answerSchema>) {
  const row = await requestByFollowToken(db, token);
  if (!row) throw new AppError('not_found', 'This follow link is not valid');
  return storeAnswer(db, row, null, input.answer);
}

/** The request that brought an item into the backlog, for its page: "Requested by … on …". */
export async function requestOfItem(db: Db, itemId: string) {
  if (!isUuid(itemId)) return null;
  const [row] = await selectRequests(db)
    .where(and(eq(stakeholderRequests.itemId, itemId), eq(stakeholderRequests.state, 'accepted')))
    .limit(1);
  return row ? { requesterName: row.requesterName, createdAt: row.createdAt, requestId: row.id } : null;
}

/* The product's request links: created and withdrawn by the product owner. */

export async function createRequestLink(db: Db, productId: string, actorId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  const token = randomToken('rql_');
  const [row] = await db
    .insert(productRequestLinks)
    .values({ productId, tokenHash: hashToken(token), createdBy: actorId })
    .returning({ id: productRequestLinks.id, createdAt: productRequestLinks.createdAt });
  return { id: row.id, token, createdAt: row.createdAt };
}

export async function listRequestLinks(db: Db, productId: string, actorId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  return db
    .select({ id: productRequestLinks.id, createdAt: productRequestLinks.createdAt })
    .from(productRequestLinks)
    .where(and(eq(productRequestLinks.productId, productId), isNull(productRequestLinks.revokedAt)))
    .orderBy(desc(productRequestLinks.createdAt));
}

export async function revokeRequestLink(db: Db, productId: string, actorId: string, linkId: string) {
  await authorize(db, productId, actorId, 'product.manage');
  if (!isUuid(linkId)) throw new AppError('not_found', 'No such request link');
  const [row] = await db
    .update(productRequestLinks)
    .set({ revokedAt: new Date() })
    .where(and(eq(productRequestLinks.id, linkId), eq(productRequestLinks.productId, productId)))
    .returning({ id: productRequestLinks.id });
  if (!row) throw new AppError('not_found', 'No such request link');
}

/** The threads of several requests at once, by request id (the inbox shows each request's questions and answers). */
export async function threadsOf(db: Db, requestIds: string[]) {
  const threads = new Map<string, Array<{ author: 'po' | 'requester'; body: string; createdAt: Date }>>();
  if (requestIds.length === 0) return threads;
  const rows = await db
    .select({
      requestId: requestMessages.requestId,
      author: requestMessages.author,
      body: requestMessages.body,
      createdAt: requestMessages.createdAt,
    })
    .from(requestMessages)
    .where(inArray(requestMessages.requestId, requestIds))
    .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id));
  for (const { requestId, ...message } of rows)
    threads.set(requestId, [...(threads.get(requestId) ?? []), message]);
  return threads;
}

/** The product's open items in backlog order, to merge a request into or place one after (the PO's triage). */
export async function openItemsForTriage(db: Db, productId: string) {
  return db
    .select({ id: backlogItems.id, title: backlogItems.title })
    .from(backlogItems)
    .where(
      and(eq(backlogItems.productId, productId), notInArray(backlogItems.status, [...closedItemStatuses])),
    )
    .orderBy(asc(backlogItems.rank))
    .limit(500);
}
