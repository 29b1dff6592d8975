import { z } from 'zod';
import { deckNames } from '~/domain/poker';
import { roles } from '~/domain/roles';
import { sessionKinds } from '~/domain/session-rules';
import { prioritisationMethods } from '~/services/sessions/sessions.server';
import { id, isoDateTime, itemStatusSchema, itemTypeSchema } from './schemas.server';

/** Response schemas of the session operations. A vote's value appears only in revealed rounds and as `myValue`. */

const sessionState = z.enum(['planned', 'running', 'ended']);

export const sessionSummaryRowSchema = z
  .object({
    id,
    title: z.string(),
    kind: z.enum(sessionKinds),
    phase: z.string(),
    state: sessionState,
    participants: z.number().int(),
    createdAt: isoDateTime,
    startedAt: isoDateTime.nullable(),
    endedAt: isoDateTime.nullable(),
    votingWindow: z
      .object({
        state: z.enum(['open', 'closed']),
        closesAt: isoDateTime.describe(
          'when it closes, or when it closed (by hand or when the live vote opened)',
        ),
      })
      .nullable()
      .describe(
        'votes before the meeting (prioritisation sessions): null when the session never had a window',
      ),
  })
  .meta({ title: 'SessionListEntry' });

export const createdSessionSchema = z
  .object({
    id,
    productId: id,
    title: z.string(),
    kind: z.enum(sessionKinds),
    phase: z.string(),
    facilitatorId: id,
    joinCode: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ title: 'CreatedSession', description: '`joinCode` is the code in the session’s join link' });

const tallySchema = z
  .object({
    votes: z.number().int(),
    distribution: z.array(z.object({ value: z.string(), count: z.number().int() })),
    mean: z.number().nullable(),
    median: z.string().nullable(),
    mode: z.array(z.string()),
    wideSpread: z.boolean(),
    abstained: z.number().int(),
  })
  .meta({ title: 'EstimateTally' });

export const roundSchema = z
  .object({
    id,
    number: z.number().int(),
    deck: z.string().meta({
      description:
        'A built-in deck (`fibonacci`, `tshirt`) or the name of the product’s own deck the round used',
    }),
    deckLabel: z.string().meta({ description: 'The deck as people read it' }),
    cards: z
      .array(z.string())
      .nullable()
      .meta({ description: 'The cards of a product’s own deck, in order; null for a built-in deck' }),
    numeric: z
      .boolean()
      .meta({ description: 'Every card is a number (but ? and coffee): the tally has a mean' }),
    revealed: z.boolean(),
    committedValue: z.number().int().nullable(),
    voted: z
      .array(id)
      .meta({ description: 'Participants who have voted (never their values before the reveal)' }),
    myValue: z.string().nullable().meta({ description: 'Your own card in this round' }),
    votes: z
      .array(z.object({ participantId: id, name: z.string(), value: z.string() }))
      .nullable()
      .meta({ description: 'Every card: only after the reveal' }),
    tally: tallySchema.nullable(),
  })
  .meta({ title: 'EstimateRound' });

const participantSchema = z
  .object({
    id,
    userId: id.nullable(),
    name: z.string(),
    spectator: z.boolean(),
    handRaisedAt: z.number().nullable(),
  })
  .meta({ title: 'SessionParticipant' });

const amigoPart = z.enum(['product_owner', 'developer', 'tester']);

/** A three amigos session as everyone in its product may see it (issue 18). */
export const threeAmigosStateSchema = z.object({
  itemId: id,
  people: z.array(z.object({ userId: id, name: z.string(), part: amigoPart, marked: z.boolean() })),
  notes: z.array(
    z.object({
      id,
      kind: z.enum(['question', 'dependency', 'assumption', 'case']),
      text: z.string(),
      answered: z.boolean(),
      linkedItem: z.object({ id, title: z.string() }).nullable(),
    }),
  ),
  completedAt: z.string().nullable().meta({ description: 'When all three marked a shared understanding' }),
  myPart: amigoPart.nullable().meta({ description: 'Your part in the session; null when you watch' }),
});

export const sessionViewSchema = z
  .object({
    session: z.object({
      id,
      productId: id,
      title: z.string(),
      kind: z.enum(sessionKinds),
      phase: z.string(),
      state: sessionState,
      facilitatorId: id,
      facilitatorName: z.string(),
      settings: z.object({
        deck: z.enum(deckNames),
        autoReveal: z.boolean(),
        guestsEstimate: z.boolean().meta({ description: 'Refinement: guests play poker cards too' }),
        methods: z.array(z.enum(prioritisationMethods)),
        dots: z.object({ budget: z.number().int(), cap: z.number().int() }),
        anonymous: z.boolean(),
        groups: z.array(z.object({ name: z.string(), weight: z.number() })),
      }),
      timer: z.object({ endsAt: z.number(), seconds: z.number().int() }).nullable(),
      currentItemId: id.nullable(),
      createdAt: isoDateTime,
      endedAt: isoDateTime.nullable(),
    }),
    role: z.enum([...roles, 'guest']).meta({ description: 'Your role in the product, or guest' }),
    me: z.object({ participantId: id, spectator: z.boolean(), handRaised: z.boolean() }).nullable(),
    may: z.object({ facilitate: z.boolean(), estimate: z.boolean(), edit: z.boolean(), order: z.boolean() }),
    participants: z.array(participantSchema),
    threeAmigos: threeAmigosStateSchema.nullable().meta({
      description: 'Three amigos sessions: the three, their marks, the notes and cases, and your part',
    }),
    agenda: z.array(
      z.object({
        itemId: id,
        position: z.number().int(),
        timeboxSeconds: z.number().int(),
        title: z.string(),
        type: itemTypeSchema,
        status: itemStatusSchema,
        estimate: z.number().int().nullable(),
        parentId: id.nullable(),
      }),
    ),
    current: z
      .object({
        id,
        title: z.string(),
        type: itemTypeSchema,
        status: itemStatusSchema,
        estimate: z.number().int().nullable(),
        description: z.string(),
        criteria: z.string(),
        definitionOfReady: z.array(z.object({ id: z.string(), text: z.string(), checked: z.boolean() })),
        readiness: z.object({
          ready: z.boolean(),
          met: z.number().int(),
          total: z.number().int(),
          missing: z.array(z.string()),
          blockedByDependencies: z.boolean(),
          overridden: z.boolean(),
        }),
        blockers: z
          .array(
            z.object({ id: id.nullable(), title: z.string(), status: itemStatusSchema, hidden: z.boolean() }),
          )
          .meta({
            description:
              'Blockers of another product you are not a member of are hidden: no id, and “An item you cannot see” as the title',
          }),
        rounds: z.array(roundSchema),
      })
      .nullable(),
    prioritisation: z
      .object({
        items: z.array(z.object({ itemId: id, description: z.string(), criteria: z.string() })),
        myDots: z.array(z.object({ itemId: id, dots: z.number().int() })),
        myScores: z.array(z.object({ itemId: id, part: z.string(), value: z.string() })),
      })
      .nullable()
      .meta({ description: 'Prioritisation sessions: the items’ text, and your own dots and scores' }),
    notes: z.array(
      z.object({
        id,
        text: z.string(),
        itemId: id.nullable(),
        resolved: z.boolean(),
        createdAt: isoDateTime,
        author: z.string(),
      }),
    ),
  })
  .meta({ title: 'Session', description: 'A session as the caller may see it' });

export const sessionSummarySchema = z
  .object({
    title: z.string(),
    kind: z.string(),
    productName: z.string(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    facilitator: z.string(),
    participants: z.array(z.object({ name: z.string(), spectator: z.boolean() })),
    items: z.array(
      z.object({
        title: z.string(),
        type: z.string(),
        status: z.string(),
        estimateBefore: z.number().nullable(),
        estimateAfter: z.number().nullable(),
        ready: z.boolean(),
        readyMet: z.number().int(),
        readyTotal: z.number().int(),
        rounds: z.number().int(),
        lastTally: z
          .object({ mean: z.number().nullable(), median: z.string().nullable(), wideSpread: z.boolean() })
          .nullable(),
      }),
    ),
    newStories: z.array(z.object({ title: z.string(), parentTitle: z.string().nullable() })),
    openQuestions: z.array(
      z.object({ text: z.string(), author: z.string(), itemTitle: z.string().nullable() }),
    ),
    resolvedQuestions: z.number().int(),
  })
  .meta({ title: 'SessionSummary' });

const statsSchema = z.object({
  count: z.number().int(),
  mean: z.number(),
  median: z.number(),
  min: z.number(),
  max: z.number(),
  spread: z.number(),
  variation: z.number(),
});

export const sessionResultsSchema = z
  .object({
    anonymous: z.boolean(),
    methods: z.array(z.enum(prioritisationMethods)),
    items: z.array(
      z.object({
        itemId: id,
        title: z.string(),
        dots: z.number().int(),
        dotVoters: z.number().int(),
        dotRank: z.number().int(),
        parts: z.record(z.string(), statsSchema).meta({
          description:
            'Per scored part: userBusinessValue, timeCriticality, riskReduction, jobSize, businessValue',
        }),
        wsjf: z.number().nullable(),
        moscow: z.object({ counts: z.record(z.string(), z.number()), top: z.string().nullable() }),
        kano: z
          .object({ dominant: z.string().nullable(), counts: z.record(z.string(), z.number()) })
          .nullable(),
        disagreement: z.number(),
        contested: z.boolean().meta({ description: 'Among the items stakeholders disagree on most' }),
      }),
    ),
    participants: z
      .array(
        z.object({
          participantId: id,
          name: z.string(),
          groupName: z.string().nullable(),
          dots: z.array(z.object({ itemId: id, dots: z.number().int() })),
          scores: z.array(z.object({ itemId: id, part: z.string(), value: z.string() })),
        }),
      )
      .nullable()
      .meta({ description: 'Who put dots and scores where; null in anonymous mode' }),
    wsjfWeights: z
      .object({
        version: z.number().int(),
        weights: z.object({
          businessValue: z.number(),
          timeCriticality: z.number(),
          riskReduction: z.number(),
        }),
      })
      .nullable()
      .meta({
        description:
          'The Cost-of-Delay part weights the product’s agreed prioritisation criteria (that version) set, which ' +
          '`wsjf` uses: (value × w₁ + time criticality × w₂ + risk reduction × w₃) / job size; null: plain WSJF',
      }),
  })
  .meta({ title: 'SessionResults' });
