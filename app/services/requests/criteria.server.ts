import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '~/domain/errors';
import { criteriaMethods } from '~/domain/requests';
import { can } from '~/domain/roles';
import { isEqualWeighting } from '~/domain/wsjf';
import { recordDecisions } from '~/services/backlog/decisions.server';
import { lockProduct } from '~/services/backlog/items.server';
import { authorize, isUuid } from '~/services/products.server';
import type { Db, Tx } from '../../../db/client';
import { liveSessions, prioritisationCriteriaVersions, users } from '../../../db/schema';

/* The prioritisation criteria the stakeholders agreed on (issue 17, part 2): versioned per product, append-only. */

const weight = (name: string) =>
  z
    .number({ message: `The ${name} weight must be a number` })
    .min(0.1, `The ${name} weight must be at least 0.1`)
    .max(10, `The ${name} weight must be at most 10`);

export const criteriaInputSchema = z.strictObject({
  methods: z
    .array(z.enum(criteriaMethods, { message: `A method must be one of ${criteriaMethods.join(', ')}` }))
    .min(1, 'Choose at least one method')
    .max(criteriaMethods.length)
    .meta({ description: 'The ordering methods agreed on' }),
  wsjfWeights: z
    .strictObject({
      businessValue: weight('business value'),
      timeCriticality: weight('time criticality'),
      riskReduction: weight('risk reduction'),
    })
    .meta({ description: 'How much each WSJF cost-of-delay part counts (1 each is plain WSJF)' }),
  urgency: z
    .string()
    .trim()
    .min(1, 'Say what counts as urgent')
    .max(2000, 'What counts as urgent must be at most 2000 characters'),
  agreedInSessionId: z
    .uuid({ message: 'agreedInSessionId must be a session id' })
    .nullable()
    .default(null)
    .meta({ description: 'The prioritisation session in which the stakeholders agreed them' }),
});
export type CriteriaInput = z.output<typeof criteriaInputSchema>;

export type CriteriaVersion = typeof prioritisationCriteriaVersions.$inferSelect;

/** The criteria in force: the latest version, or null while none were agreed. */
export async function currentCriteria(db: Db | Tx, productId: string): Promise<CriteriaVersion | null> {
  const [row] = await db
    .select()
    .from(prioritisationCriteriaVersions)
    .where(eq(prioritisationCriteriaVersions.productId, productId))
    .orderBy(desc(prioritisationCriteriaVersions.version))
    .limit(1);
  return row ?? null;
}

/** Every version, newest first, with who recorded it and the session that agreed it. Any member reads them. */
export async function listCriteria(db: Db, productId: string, userId: string) {
  const role = await authorize(db, productId, userId, 'product.view');
  const versions = await db
    .select({
      id: prioritisationCriteriaVersions.id,
      version: prioritisationCriteriaVersions.version,
      methods: prioritisationCriteriaVersions.methods,
      wsjfWeights: prioritisationCriteriaVersions.wsjfWeights,
      urgency: prioritisationCriteriaVersions.urgency,
      agreedInSessionId: prioritisationCriteriaVersions.agreedInSessionId,
      sessionTitle: liveSessions.title,
      createdBy: users.displayName,
      createdAt: prioritisationCriteriaVersions.createdAt,
    })
    .from(prioritisationCriteriaVersions)
    .leftJoin(users, eq(users.id, prioritisationCriteriaVersions.createdBy))
    .leftJoin(liveSessions, eq(liveSessions.id, prioritisationCriteriaVersions.agreedInSessionId))
    .where(eq(prioritisationCriteriaVersions.productId, productId))
    .orderBy(desc(prioritisationCriteriaVersions.version));
  return { versions, mayEdit: can(role, 'product.manage') };
}

/** The product's prioritisation sessions, newest first: where criteria may have been agreed. */
export async function prioritisationSessions(db: Db, productId: string) {
  return db
    .select({ id: liveSessions.id, title: liveSessions.title })
    .from(liveSessions)
    .where(and(eq(liveSessions.productId, productId), eq(liveSessions.kind, 'prioritisation')))
    .orderBy(desc(liveSessions.createdAt));
}

/**
 * Records a new version of the criteria (the product owner, for the stakeholders who agreed them). The session, if
 * named, must be one of this product's prioritisation sessions. Logged as `criteria_version_agreed`.
 */
export async function agreeCriteria(db: Db, productId: string, actorId: string, input: CriteriaInput) {
  await authorize(db, productId, actorId, 'product.manage');
  const sessionId = input.agreedInSessionId;
  if (sessionId) {
    const [session] = isUuid(sessionId)
      ? await db
          .select({ productId: liveSessions.productId, kind: liveSessions.kind })
          .from(liveSessions)
          .where(eq(liveSessions.id, sessionId))
      : [];
    if (!session || session.productId !== productId || session.kind !== 'prioritisation')
      throw new AppError('invalid', 'Choose one of this product’s prioritisation sessions', {
        field: 'agreedInSessionId',
      });
  }
  const methods = [...new Set(input.methods)];
  return db.transaction(async (tx) => {
    await lockProduct(tx, productId);
    const current = await currentCriteria(tx, productId);
    const [row] = await tx
      .insert(prioritisationCriteriaVersions)
      .values({
        productId,
        version: (current?.version ?? 0) + 1,
        methods,
        wsjfWeights: input.wsjfWeights,
        urgency: input.urgency,
        agreedInSessionId: sessionId,
        createdBy: actorId,
      })
      .returning();
    await recordDecisions(tx, [
      {
        productId,
        actorId,
        kind: 'criteria_version_agreed',
        sessionId,
        before: current ? { criteriaVersion: current.version, criteriaVersionId: current.id } : null,
        after: {
          criteriaVersion: row.version,
          criteriaVersionId: row.id,
          methods,
          wsjfWeights: input.wsjfWeights,
          urgency: input.urgency,
        },
      },
    ]);
    return row;
  });
}

/**
 * The WSJF part weights the criteria set, with their version, when they are not plain WSJF's (1 each); null when
 * there is nothing to weigh. Backlog proposals and prioritisation sessions weigh WSJF with them.
 */
export const agreedWsjfWeights = (c: CriteriaVersion | null) =>
  c && !isEqualWeighting(c.wsjfWeights) ? { version: c.version, weights: c.wsjfWeights } : null;

/** What decisions store about the criteria that applied (issue 17): the version's id and number, or nulls. */
export const criteriaStamp = (c: CriteriaVersion | null) => ({
  criteriaVersionId: c?.id ?? null,
  criteriaVersion: c?.version ?? null,
});
