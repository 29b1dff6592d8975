import { and, asc, eq, inArray } from 'drizzle-orm';
import { mayEditText } from '~/domain/policies';
import { evaluateReadiness } from '~/domain/readiness';
import { can } from '~/domain/roles';
import type { OrderMethod } from '~/domain/score-results';
import { mayVoteIn } from '~/domain/session-guests';
import { amigoOf } from '~/domain/three-amigos';
import { unresolvedBlockers } from '~/services/backlog/items.server';
import { hiddenItemTitle, itemsVisibleTo } from '~/services/backlog/visibility.server';
import type { Db } from '../../../db/client';
import {
  backlogItems,
  dotVotes,
  itemDependencies,
  liveSessions,
  products,
  sessionNotes,
  sessionParticipants,
  sessionScores,
  users,
} from '../../../db/schema';
import { sessionAccess } from './access.server';
import { publicSessionState } from './live.server';
import { roundsFor } from './poker.server';
import { sessionResults } from './prioritisation.server';
import { proposeSessionOrder } from './session-order.server';
import { agendaOf, settingsOf } from './sessions.server';
import { amigosState } from './three-amigos.server';

/** The current item as the room shows it: text, Definition of Ready with its ticks, blockers, poker rounds. */
async function currentItemView(
  db: Db,
  sessionId: string,
  productId: string,
  itemId: string,
  viewerId: string,
  viewerParticipantId: string | null,
) {
  const [item] = await db.select().from(backlogItems).where(eq(backlogItems.id, itemId));
  if (!item) return null;
  const [product] = await db
    .select({ dor: products.definitionOfReady })
    .from(products)
    .where(eq(products.id, productId));
  const linked = await db
    .select({
      id: backlogItems.id,
      title: backlogItems.title,
      status: backlogItems.status,
      productId: backlogItems.productId,
    })
    .from(itemDependencies)
    .innerJoin(backlogItems, eq(backlogItems.id, itemDependencies.blockedById))
    .where(eq(itemDependencies.itemId, itemId));
  // A blocker in another product is named only to its members (guests are members of nothing): the others learn
  // that it exists and whether it still blocks, not its title nor an id to look for.
  const foreign = linked.filter((b) => b.productId !== productId).map((b) => b.id);
  const visible = foreign.length > 0 ? await itemsVisibleTo(db, viewerId, foreign) : new Set<string>();
  const blockers = linked.map((b) =>
    b.productId === productId || visible.has(b.id)
      ? { id: b.id as string | null, title: b.title, status: b.status, hidden: false }
      : { id: null, title: hiddenItemTitle, status: b.status, hidden: true },
  );
  const readiness = evaluateReadiness({
    checklist: product.dor,
    checked: item.readyChecks,
    unresolvedDependencies: await unresolvedBlockers(db, itemId),
    override: item.readyOverrideReason ? { reason: item.readyOverrideReason } : null,
  });
  return {
    id: item.id,
    title: item.title,
    type: item.type,
    status: item.status,
    estimate: item.estimate,
    description: item.description,
    criteria: item.criteria,
    definitionOfReady: product.dor.map((line) => ({ ...line, checked: item.readyChecks[line.id] === true })),
    readiness,
    blockers,
    rounds: await roundsFor(db, sessionId, itemId, viewerParticipantId),
  };
}

/**
 * What a prioritisation participant needs: every agenda item's description and criteria, and their own dots and
 * scores (nobody else's).
 */
async function prioritisationView(db: Db, itemIds: string[], participantId: string | null) {
  const [texts, dots, scores] = await Promise.all([
    itemIds.length
      ? db
          .select({
            itemId: backlogItems.id,
            description: backlogItems.description,
            criteria: backlogItems.criteria,
          })
          .from(backlogItems)
          .where(inArray(backlogItems.id, itemIds))
      : [],
    participantId
      ? db
          .select({ itemId: dotVotes.itemId, dots: dotVotes.dots })
          .from(dotVotes)
          .where(eq(dotVotes.participantId, participantId))
      : [],
    participantId
      ? db
          .select({ itemId: sessionScores.itemId, part: sessionScores.part, value: sessionScores.value })
          .from(sessionScores)
          .where(eq(sessionScores.participantId, participantId))
      : [],
  ]);
  return { items: texts, myDots: dots, myScores: scores };
}

/** Everything the room shows to this member. Nothing secret: other people's unrevealed cards never appear. */
export async function sessionView(db: Db, sessionId: string, userId: string) {
  const access = await sessionAccess(db, sessionId, userId);
  const { session, role, participant, facilitates } = access;
  const [state, agenda, notes] = await Promise.all([
    publicSessionState(db, sessionId),
    agendaOf(db, sessionId),
    db
      .select({
        id: sessionNotes.id,
        text: sessionNotes.text,
        itemId: sessionNotes.itemId,
        resolvedAt: sessionNotes.resolvedAt,
        createdAt: sessionNotes.createdAt,
        author: users.displayName,
        guestName: sessionParticipants.guestName,
      })
      .from(sessionNotes)
      .leftJoin(sessionParticipants, eq(sessionParticipants.id, sessionNotes.participantId))
      .leftJoin(users, eq(users.id, sessionParticipants.userId))
      .where(and(eq(sessionNotes.sessionId, sessionId), eq(sessionNotes.kind, 'question')))
      .orderBy(asc(sessionNotes.createdAt)),
  ]);
  const [facilitator] = await db
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, session.facilitatorId));
  const prioritisation =
    session.kind === 'prioritisation'
      ? await prioritisationView(
          db,
          agenda.map((a) => a.itemId),
          participant?.id ?? null,
        )
      : null;
  const threeAmigos = session.kind === 'three_amigos' ? await amigosState(db, sessionId) : null;
  const current = session.currentItemId
    ? await currentItemView(
        db,
        sessionId,
        session.productId,
        session.currentItemId,
        userId,
        participant?.id ?? null,
      )
    : null;
  return {
    session: {
      id: session.id,
      productId: session.productId,
      title: session.title,
      kind: session.kind,
      phase: session.phase,
      state: state!.state,
      facilitatorId: session.facilitatorId,
      facilitatorName: facilitator?.name ?? 'Unknown',
      settings: settingsOf(session),
      timer: state!.timer,
      currentItemId: session.currentItemId,
      createdAt: session.createdAt,
      endedAt: session.endedAt,
    },
    role,
    me: participant
      ? {
          participantId: participant.id,
          spectator: participant.spectator,
          handRaised: participant.handRaisedAt !== null,
        }
      : null,
    may: {
      facilitate: facilitates && !session.endedAt,
      /** may play poker cards here (guests: while the facilitator lets them) */
      estimate: mayVoteIn(role, 'refinement', settingsOf(session)),
      edit: mayEditText(role),
      order: can(role, 'backlog.order'),
    },
    /** three amigos: the three, their marks, the developer's notes, the tester's cases, and your part (null: watching) */
    threeAmigos: threeAmigos
      ? {
          ...threeAmigos,
          myPart: mayEditText(role) ? amigoOf(settingsOf(session).threeAmigos!, userId) : null,
        }
      : null,
    participants: state!.participants,
    /** prioritisation: voting state and who has voted (a count only when anonymous); never a value */
    voting: state!.voting,
    agenda,
    current,
    prioritisation,
    notes: notes.map((n) => ({
      id: n.id,
      text: n.text,
      itemId: n.itemId,
      resolved: n.resolvedAt !== null,
      createdAt: n.createdAt,
      author: n.author ?? n.guestName ?? 'Someone',
    })),
  };
}
export type SessionView = Awaited<ReturnType<typeof sessionView>>;

/**
 * What the prioritisation room shows beside the view: the results once revealed (the same for everyone), the
 * proposed order for whoever may order the backlog, and the join link for the facilitator.
 */
export async function prioritisationRoomData(
  db: Db,
  view: SessionView,
  actorId: string,
  orderMethod: OrderMethod,
) {
  if (view.session.kind !== 'prioritisation' || !view.prioritisation) return null;
  const revealed = view.voting?.revealed === true;
  const results = revealed ? await sessionResults(db, view.session.id, actorId) : null;
  const methods = view.session.settings.methods;
  const usable =
    orderMethod === 'combined'
      ? methods.includes('dots') && methods.includes('wsjf')
      : methods.includes(orderMethod);
  const method: OrderMethod = usable ? orderMethod : methods.includes('dots') ? 'dots' : 'wsjf';
  const proposal =
    revealed && view.may.order ? await proposeSessionOrder(db, view.session.id, actorId, method) : null;
  const [row] = view.may.facilitate
    ? await db
        .select({ joinCode: liveSessions.joinCode })
        .from(liveSessions)
        .where(eq(liveSessions.id, view.session.id))
    : [];
  // Stakeholder groups are the product owner's to set (their weights apply to the results).
  const groups = view.session.settings.groups;
  const groupOf =
    view.may.order && groups.length > 0
      ? new Map(
          (
            await db
              .select({ id: sessionParticipants.id, groupName: sessionParticipants.groupName })
              .from(sessionParticipants)
              .where(eq(sessionParticipants.sessionId, view.session.id))
          ).map((p) => [p.id, p.groupName]),
        )
      : null;
  return {
    data: {
      settings: { methods, dots: view.session.settings.dots, anonymous: view.session.settings.anonymous },
      voting: view.voting,
      agenda: view.agenda.map((a) => ({
        itemId: a.itemId,
        title: a.title,
        type: a.type,
        estimate: a.estimate,
      })),
      texts: view.prioritisation.items,
      myDots: view.prioritisation.myDots,
      myScores: view.prioritisation.myScores,
      participants: view.participants.map((p) => ({ id: p.id, name: p.name, spectator: p.spectator })),
      results,
      proposal,
    },
    joinCode: row?.joinCode ?? null,
    guests: view.participants.filter((p) => p.userId === null).map((p) => ({ id: p.id, name: p.name })),
    /** for the product owner when the session has stakeholder groups: everyone who votes, with their group */
    grouping: groupOf
      ? {
          anonymous: view.session.settings.anonymous,
          groups: groups.map((g) => ({ name: g.name, weight: g.weight })),
          people: view.participants
            .filter((p) => !p.spectator)
            .map((p) => ({ id: p.id, name: p.name, groupName: groupOf.get(p.id) ?? null })),
        }
      : null,
  };
}
