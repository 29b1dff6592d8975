import { randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { asyncWindowState } from '~/domain/async-voting';
import { type DotRules, defaultDotRules } from '~/domain/dot-voting';
import { AppError } from '~/domain/errors';
import { deckNames, isDeckName } from '~/domain/poker';
import { phasesOf, type SessionKind, sessionKinds, sessionState } from '~/domain/session-rules';
import { type AmigosCast, amigoIds, castProblem } from '~/domain/three-amigos';
import { authorize } from '~/services/products.server';
import type { Db, Tx } from '../../../db/client';
import {
  asyncVoteWindows,
  backlogItems,
  liveSessions,
  memberships,
  sessionAgenda,
  sessionParticipants,
} from '../../../db/schema';
import { resolveRoundDeck } from './poker-decks.server';

export const prioritisationMethods = ['dots', 'wsjf', 'moscow', 'businessValue', 'kano'] as const;
export type PrioritisationMethod = (typeof prioritisationMethods)[number];

export const createSessionSchema = z.strictObject({
  title: z.string().trim().min(1, 'Give the session a title').max(200, 'The title is at most 200 characters'),
  kind: z
    .enum(sessionKinds, { message: `kind must be one of ${sessionKinds.join(', ')}` })
    .default('refinement'),
  agenda: z
    .array(z.uuid({ message: 'Each agenda entry must be a backlog item id' }))
    .max(100, 'An agenda has at most 100 items')
    .refine((ids) => new Set(ids).size === ids.length, 'An item can be on the agenda only once')
    .default([]),
  /** minutes per agenda item */
  timeboxMinutes: z
    .number()
    .int('Whole minutes')
    .min(1, 'At least one minute')
    .max(240, 'At most 240 minutes')
    .default(10),
  /** a built-in deck by name, or one of the product's own decks (Settings) by its id */
  deck: z
    .union([z.enum(deckNames), z.uuid()], {
      message: `deck must be one of ${deckNames.join(', ')} or the id of one of the product's own decks`,
    })
    .default('fibonacci'),
  autoReveal: z.boolean().default(false),
  /** refinement: guests (by the session link) play poker cards too; the facilitator can switch it in the room */
  guestsEstimate: z.boolean().default(false),
  /** prioritisation: the methods on offer */
  methods: z
    .array(
      z.enum(prioritisationMethods, { message: `methods must be among ${prioritisationMethods.join(', ')}` }),
    )
    .min(1, 'Pick at least one method')
    .refine((m) => new Set(m).size === m.length, 'Each method once')
    .default(['dots']),
  dotBudget: z
    .number()
    .int('Whole dots')
    .min(1, 'At least one dot each')
    .max(50, 'At most 50 dots each')
    .default(defaultDotRules.budget),
  dotCap: z
    .number()
    .int('Whole dots')
    .min(1, 'At least one dot per item')
    .max(50, 'At most 50 dots per item')
    .default(defaultDotRules.cap),
  /** nobody, the facilitator included, can link a participant to a vote, even after the reveal */
  anonymous: z.boolean().default(false),
  /** stakeholder groups and the weight of their scores (1 = normal) */
  groups: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1, 'A group needs a name').max(60),
        weight: z.number().min(0.1, 'Weights from 0.1').max(10, 'Weights up to 10'),
      }),
    )
    .max(10, 'At most 10 groups')
    .refine((g) => new Set(g.map((x) => x.name)).size === g.length, 'Group names must differ')
    .default([]),
  /** a member who runs the session instead of the product owner */
  facilitatorId: z.uuid({ message: 'facilitatorId must be a member’s user id' }).optional(),
  /** three amigos: the developer and the tester (team members); the product owner who creates it is the third */
  developerId: z.uuid({ message: 'developerId must be a team member’s user id' }).optional(),
  testerId: z.uuid({ message: 'testerId must be a team member’s user id' }).optional(),
});
export type CreateSessionInput = z.input<typeof createSessionSchema>;

export interface SessionSettings {
  deck: (typeof deckNames)[number];
  autoReveal: boolean;
  /** refinement: guests estimate with everyone (set by the facilitator) */
  guestsEstimate: boolean;
  methods: PrioritisationMethod[];
  dots: DotRules;
  anonymous: boolean;
  groups: Array<{ name: string; weight: number }>;
  /** three amigos: the story and the three people */
  threeAmigos: AmigosCast | null;
}

export function settingsOf(session: { settings: Record<string, unknown> }): SessionSettings {
  const deck = deckNames.includes(session.settings.deck as never)
    ? (session.settings.deck as SessionSettings['deck'])
    : 'fibonacci';
  const raw = session.settings as Partial<Omit<SessionSettings, 'deck'>>;
  return {
    deck,
    autoReveal: raw.autoReveal === true,
    guestsEstimate: raw.guestsEstimate === true,
    methods: Array.isArray(raw.methods) ? raw.methods : ['dots'],
    dots: raw.dots ?? defaultDotRules,
    anonymous: raw.anonymous === true,
    groups: Array.isArray(raw.groups) ? raw.groups : [],
    threeAmigos: (raw.threeAmigos as AmigosCast | undefined) ?? null,
  };
}

/** Only the product owner creates sessions; the agenda is made of active items of the same product. */
export async function createSession(db: Db, productId: string, actorId: string, raw: CreateSessionInput) {
  await authorize(db, productId, actorId, 'session.run');
  const input = createSessionSchema.parse(raw);
  const facilitatorId = input.facilitatorId ?? actorId;
  if (facilitatorId !== actorId) {
    const [member] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.productId, productId), eq(memberships.userId, facilitatorId)));
    if (!member || member.role === 'stakeholder') {
      throw new AppError(
        'invalid',
        'The facilitator must be the product owner or a team member of this product',
        { field: 'facilitatorId' },
      );
    }
  }
  const threeAmigos = input.kind === 'three_amigos' ? await checkAmigos(db, productId, actorId, input) : null;
  if (input.agenda.length > 0) {
    const found = await db
      .select({ id: backlogItems.id })
      .from(backlogItems)
      .where(
        and(
          inArray(backlogItems.id, input.agenda),
          eq(backlogItems.productId, productId),
          ne(backlogItems.status, 'archived'),
        ),
      );
    if (found.length !== input.agenda.length) {
      throw new AppError('invalid', 'Every agenda item must be an active backlog item of this product', {
        field: 'agenda',
      });
    }
  }
  return db.transaction(async (tx) => {
    // A product's own deck is offered first in the room (as the last deck used); the session's own deck stays a
    // built-in one, the fallback should the product's deck be removed later.
    const ownDeck = isDeckName(input.deck) ? null : (await resolveRoundDeck(tx, productId, input.deck)).key;
    const [session] = await tx
      .insert(liveSessions)
      .values({
        productId,
        kind: input.kind,
        title: input.title,
        phase: phasesOf[input.kind][0],
        facilitatorId: threeAmigos ? actorId : facilitatorId,
        currentItemId: input.agenda[0] ?? null,
        settings: {
          deck: ownDeck ? 'fibonacci' : input.deck,
          ...(ownDeck ? { lastDeck: ownDeck } : {}),
          autoReveal: input.autoReveal,
          guestsEstimate: input.guestsEstimate,
          methods: input.methods,
          dots: { budget: input.dotBudget, cap: input.dotCap },
          anonymous: input.anonymous,
          groups: input.groups,
          ...(threeAmigos ? { threeAmigos } : {}),
        },
        // The three amigos meet among members: no guest link.
        guestsAllowed: !threeAmigos,
        joinCode: randomBytes(18).toString('base64url'),
        createdBy: actorId,
      })
      .returning();
    if (input.agenda.length > 0) {
      await tx.insert(sessionAgenda).values(
        input.agenda.map((itemId, position) => ({
          sessionId: session.id,
          itemId,
          position,
          timeboxSeconds: input.timeboxMinutes * 60,
        })),
      );
    }
    if (threeAmigos) {
      // The three are in the session from the start; anyone else of the product who opens the room watches.
      await tx
        .insert(sessionParticipants)
        .values(amigoIds(threeAmigos).map((userId) => ({ sessionId: session.id, userId, spectator: false })));
    }
    return session;
  });
}

/**
 * A three-amigos session is about one story, with a developer and a tester of the team: three different people,
 * the product owner who creates it being the third.
 */
async function checkAmigos(
  db: Db,
  productId: string,
  ownerId: string,
  input: z.output<typeof createSessionSchema>,
): Promise<AmigosCast> {
  if (input.agenda.length !== 1)
    throw new AppError('invalid', 'A three amigos session is about exactly one backlog item', {
      field: 'agenda',
    });
  if (!input.developerId) throw new AppError('invalid', 'Name the developer', { field: 'developerId' });
  if (!input.testerId) throw new AppError('invalid', 'Name the tester', { field: 'testerId' });
  const cast = { itemId: input.agenda[0], ownerId, developerId: input.developerId, testerId: input.testerId };
  const problem = castProblem(cast);
  if (problem) throw new AppError('invalid', problem.message, { field: problem.field });
  const members = await db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.productId, productId),
        inArray(memberships.userId, [cast.developerId, cast.testerId]),
      ),
    );
  for (const field of ['developerId', 'testerId'] as const) {
    const member = members.find((m) => m.userId === cast[field]);
    if (member?.role !== 'team_member') {
      throw new AppError(
        'invalid',
        `The ${field === 'developerId' ? 'developer' : 'tester'} must be a team member of this product`,
        { field },
      );
    }
  }
  return cast;
}

export async function listSessions(db: Db, productId: string, userId: string) {
  await authorize(db, productId, userId, 'product.view');
  const rows = await db
    .select({
      id: liveSessions.id,
      title: liveSessions.title,
      kind: liveSessions.kind,
      phase: liveSessions.phase,
      createdAt: liveSessions.createdAt,
      startedAt: liveSessions.startedAt,
      endedAt: liveSessions.endedAt,
    })
    .from(liveSessions)
    .where(eq(liveSessions.productId, productId))
    .orderBy(desc(liveSessions.createdAt));
  const ids = rows.map((r) => r.id);
  const counts = ids.length
    ? await db
        .select({ sessionId: sessionParticipants.sessionId, n: count() })
        .from(sessionParticipants)
        .where(and(inArray(sessionParticipants.sessionId, ids), isNull(sessionParticipants.removedAt)))
        .groupBy(sessionParticipants.sessionId)
    : [];
  const byId = new Map(counts.map((c) => [c.sessionId, c.n]));
  // Votes before the meeting (prioritisation): whether the window is open, and until when.
  const windows = ids.length
    ? await db
        .select({
          sessionId: asyncVoteWindows.sessionId,
          openedAt: asyncVoteWindows.openedAt,
          closesAt: asyncVoteWindows.closesAt,
          closedAt: asyncVoteWindows.closedAt,
        })
        .from(asyncVoteWindows)
        .where(inArray(asyncVoteWindows.sessionId, ids))
    : [];
  const now = new Date();
  const windowOf = new Map(
    windows.map((w) => [
      w.sessionId,
      {
        state: asyncWindowState(w, now) as 'open' | 'closed',
        // A window closes at the latest at its closing time (closeWindowIn), so `closedAt` is never later.
        closesAt: w.closedAt ?? w.closesAt,
      },
    ]),
  );
  return rows.map((r) => ({
    ...r,
    kind: r.kind as SessionKind,
    state: sessionState(r),
    participants: byId.get(r.id) ?? 0,
    votingWindow: windowOf.get(r.id) ?? null,
  }));
}

/** The agenda in order, with what the room shows of each item. */
export async function agendaOf(db: Db | Tx, sessionId: string) {
  return db
    .select({
      itemId: sessionAgenda.itemId,
      position: sessionAgenda.position,
      timeboxSeconds: sessionAgenda.timeboxSeconds,
      title: backlogItems.title,
      type: backlogItems.type,
      status: backlogItems.status,
      estimate: backlogItems.estimate,
      parentId: backlogItems.parentId,
    })
    .from(sessionAgenda)
    .innerJoin(backlogItems, eq(backlogItems.id, sessionAgenda.itemId))
    .where(eq(sessionAgenda.sessionId, sessionId))
    .orderBy(asc(sessionAgenda.position));
}
