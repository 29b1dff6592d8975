import { randomBytes } from 'node:crypto';
import type { Tx } from '../client';
import {
  decisions,
  estimateRounds,
  estimates,
  liveSessions,
  sessionAgenda,
  sessionNotes,
  sessionParticipants,
} from '../schema';

const day = 86_400_000;

/**
 * Two refinement sessions: one held three days ago (poker rounds with a wide spread and a re-vote, a committed
 * estimate, an open question), so its summary shows something real, and one planned for the payments epic.
 */
export async function seedDemoSessions(
  tx: Tx,
  productId: string,
  people: { owner: string; dev: string; tester: string; stakeholder: string },
  itemId: (title: string) => string,
) {
  const at = (daysAgo: number, minutes = 0) => new Date(Date.now() - daysAgo * day + minutes * 60_000);
  const code = () => randomBytes(18).toString('base64url');
  const held = [
    'SMS reminder 24 hours before the appointment',
    'Confirm or cancel from the reminder',
    'Compare SMS providers for Portugal and Spain',
  ];
  const [past] = await tx
    .insert(liveSessions)
    .values({
      productId,
      kind: 'refinement',
      title: 'Refinement: appointment reminders',
      phase: 'wrap_up',
      facilitatorId: people.owner,
      currentItemId: itemId(held[1]),
      settings: { deck: 'fibonacci', autoReveal: false },
      joinCode: code(),
      createdBy: people.owner,
      createdAt: at(4),
      startedAt: at(3),
      endedAt: at(3, 55),
    })
    .returning();
  await tx.insert(sessionAgenda).values(
    held.map((title, position) => ({
      sessionId: past.id,
      itemId: itemId(title),
      position,
      timeboxSeconds: 900,
    })),
  );
  const participants = await tx
    .insert(sessionParticipants)
    .values([
      { sessionId: past.id, userId: people.owner, joinedAt: at(3) },
      { sessionId: past.id, userId: people.dev, joinedAt: at(3, 1) },
      { sessionId: past.id, userId: people.tester, joinedAt: at(3, 2) },
      { sessionId: past.id, userId: people.stakeholder, spectator: true, joinedAt: at(3, 3) },
    ])
    .returning({ id: sessionParticipants.id });
  const [owner, dev, tester] = participants.map((p) => p.id);
  const confirm = itemId(held[1]);
  const [first, second] = await tx
    .insert(estimateRounds)
    .values([
      {
        sessionId: past.id,
        itemId: confirm,
        number: 1,
        deck: 'fibonacci',
        startedAt: at(3, 20),
        revealedAt: at(3, 23),
      },
      {
        sessionId: past.id,
        itemId: confirm,
        number: 2,
        deck: 'fibonacci',
        startedAt: at(3, 30),
        revealedAt: at(3, 32),
        committedValue: 8,
      },
    ])
    .returning({ id: estimateRounds.id });
  await tx.insert(estimates).values([
    { roundId: first.id, participantId: owner, value: '5' },
    { roundId: first.id, participantId: dev, value: '13' },
    { roundId: first.id, participantId: tester, value: '5' },
    { roundId: second.id, participantId: owner, value: '8' },
    { roundId: second.id, participantId: dev, value: '8' },
    { roundId: second.id, participantId: tester, value: '5' },
  ]);
  await tx.insert(decisions).values({
    productId,
    itemId: confirm,
    actorId: people.owner,
    kind: 'edited',
    before: { estimate: 13 },
    after: { estimate: 8 },
    reason: 'Planning poker, round 2 of “Refinement: appointment reminders”',
    sessionId: past.id,
    createdAt: at(3, 33),
  });
  await tx.insert(sessionNotes).values({
    sessionId: past.id,
    itemId: confirm,
    participantId: tester,
    text: 'Do Spanish carriers pass replies with accents through to the provider unchanged?',
    createdAt: at(3, 25),
  });

  const planned = [
    'Pay a deposit when booking a first assessment',
    'Check MB WAY support with our payment provider',
    'Pay an invoice by card after the session',
    'Download invoices for insurance claims',
  ];
  const [next] = await tx
    .insert(liveSessions)
    .values({
      productId,
      kind: 'refinement',
      title: 'Refinement: online payments',
      facilitatorId: people.owner,
      currentItemId: itemId(planned[0]),
      settings: { deck: 'fibonacci', autoReveal: false },
      joinCode: code(),
      createdBy: people.owner,
      createdAt: at(1),
    })
    .returning();
  await tx.insert(sessionAgenda).values(
    planned.map((title, position) => ({
      sessionId: next.id,
      itemId: itemId(title),
      position,
      timeboxSeconds: 600,
    })),
  );
}
