import { hash } from '@node-rs/argon2';
import { generateNKeysBetween } from 'fractional-indexing';
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { wsjfScore } from '../../app/domain/wsjf';
import { backlogItems, decisions, itemDependencies, memberships, products, settings, users } from '../schema';
import { demoBacklog } from './demo-backlog';
import { demoDefinitionOfDone, demoDefinitionOfReady, demoDetails } from './demo-details';
import { seedDemoSessions } from './demo-sessions';
import { seedDemoSprints } from './demo-sprints';

export const demoPassword = 'refinery-demo';

export const demoPeople = [
  { email: 'olivia@demo.refinery.test', displayName: 'Olivia Owner', role: 'product_owner' },
  { email: 'tom@demo.refinery.test', displayName: 'Tomás Developer', role: 'team_member' },
  { email: 'quinn@demo.refinery.test', displayName: 'Quinn Tester', role: 'team_member' },
  { email: 'sam@demo.refinery.test', displayName: 'Sam Stakeholder', role: 'stakeholder' },
  { email: 'priya@demo.refinery.test', displayName: 'Priya Clinic Lead', role: 'stakeholder' },
] as const;

/**
 * On the first start with an empty database, creates the demo product, its people and its backlog.
 * Returns the demo logins (also on later starts, so they can be printed again), or null when the database
 * held other data before the demo could be created.
 */
export async function seedDemo(
  db: Db,
): Promise<Array<{ email: string; password: string; role: string }> | null> {
  const logins = demoPeople.map((p) => ({
    email: p.email,
    password: demoPassword,
    role: p.role.replace('_', ' '),
  }));
  const seeded = await db.transaction(async (tx) => {
    // One process seeds; the others (scale-out) see the marker and skip.
    const [marker] = await tx
      .insert(settings)
      .values({ key: 'demo_seeded', value: new Date().toISOString() })
      .onConflictDoNothing()
      .returning();
    if (!marker) return 'already';
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if (n > 0) return 'skipped';

    const passwordHash = await hash(demoPassword, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const people = await tx
      .insert(users)
      .values(demoPeople.map((p) => ({ email: p.email, displayName: p.displayName, passwordHash })))
      .returning({ id: users.id, email: users.email });
    const idOf = (email: string) => people.find((p) => p.email === email)!.id;
    const owner = idOf(demoPeople[0].email);

    const [product] = await tx
      .insert(products)
      .values({
        name: 'Harbor Physio Online Booking',
        description:
          'Self-service booking, reminders and payments for a chain of twelve physiotherapy clinics.',
        definitionOfReady: demoDefinitionOfReady,
        definitionOfDone: demoDefinitionOfDone,
        createdBy: owner,
      })
      .returning();
    await tx
      .insert(memberships)
      .values(demoPeople.map((p) => ({ productId: product.id, userId: idOf(p.email), role: p.role })));

    const ranks = generateNKeysBetween(null, null, demoBacklog.length);
    const idByTitle = new Map<string, string>();
    for (const [index, item] of demoBacklog.entries()) {
      const details = demoDetails[item.title] ?? {};
      const [userBusinessValue, timeCriticality, riskReduction, jobSize] = details.wsjf ?? [
        null,
        null,
        null,
        null,
      ];
      const [row] = await tx
        .insert(backlogItems)
        .values({
          productId: product.id,
          type: item.type,
          title: item.title,
          description: item.description,
          estimate: item.estimate ?? null,
          status: item.status ?? 'new',
          parentId: item.epic ? (idByTitle.get(item.epic) ?? null) : null,
          rank: ranks[index],
          labels: details.labels ?? [],
          moscow: details.moscow ?? null,
          userBusinessValue,
          timeCriticality,
          riskReduction,
          jobSize,
          wsjf: wsjfScore({ userBusinessValue, timeCriticality, riskReduction, jobSize }),
          criteria: details.criteria ?? '',
          readyChecks: Object.fromEntries((details.readyChecks ?? []).map((id) => [id, true])),
          createdBy: owner,
        })
        .returning({ id: backlogItems.id });
      idByTitle.set(item.title, row.id);
    }
    const links = Object.entries(demoDetails).flatMap(([title, details]) =>
      (details.blockedBy ?? []).map((blocker) => ({
        itemId: idByTitle.get(title)!,
        blockedById: idByTitle.get(blocker)!,
        createdBy: owner,
      })),
    );
    if (links.length > 0) await tx.insert(itemDependencies).values(links);

    // A decision log with some history: the backlog was created, then refined and reordered.
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
    const id = (title: string) => idByTitle.get(title)!;
    await tx.insert(decisions).values([
      ...demoBacklog.map((item, index) => ({
        productId: product.id,
        itemId: id(item.title),
        actorId: owner,
        kind: 'created',
        after: { title: item.title, type: item.type, position: index + 1 },
        createdAt: at(30),
      })),
      {
        productId: product.id,
        itemId: id('Double booking possible when two patients click the same slot'),
        actorId: owner,
        kind: 'moved',
        before: { position: 31 },
        after: { position: 27 },
        reason: 'Two complaints from Porto this week; it costs us trust at the first visit.',
        createdAt: at(6),
      },
      {
        productId: product.id,
        itemId: id('Book a first assessment online'),
        actorId: idOf(demoPeople[1].email),
        kind: 'status_changed',
        before: { status: 'ready' },
        after: { status: 'in_sprint' },
        reason: 'Taken into sprint 4',
        createdAt: at(5),
      },
      {
        productId: product.id,
        itemId: id('Remove the unused fax integration'),
        actorId: owner,
        kind: 'edited',
        before: { moscow: null },
        after: { moscow: 'wont' },
        reason: 'No clinic uses fax; not this time.',
        createdAt: at(3),
      },
    ]);
    await seedDemoSessions(
      tx,
      product.id,
      {
        owner,
        dev: idOf(demoPeople[1].email),
        tester: idOf(demoPeople[2].email),
        stakeholder: idOf(demoPeople[3].email),
      },
      id,
    );
    await seedDemoSprints(
      tx,
      product.id,
      {
        owner,
        dev: idOf(demoPeople[1].email),
        tester: idOf(demoPeople[2].email),
        stakeholder: idOf(demoPeople[3].email),
      },
      id,
    );
    return 'seeded';
  });
  return seeded === 'skipped' ? null : logins;
}
