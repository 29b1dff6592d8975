import { randomBytes } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import { generateNKeysBetween } from 'fractional-indexing';
import type { Tx } from '../client';
import {
  backlogItems,
  decisions,
  feedbackItems,
  liveSessions,
  reviewResults,
  sessionAgenda,
  sessionNotes,
  sessionParticipants,
  sprintItems,
  sprints,
} from '../schema';
import { demoDefinitionOfDone } from './demo-details';

const day = 86_400_000;

/** Work delivered (or tried) in the three past sprints: not in the backlog list above, created here. */
const delivered = [
  { title: 'Patient account with email login', type: 'story', estimate: 5 },
  { title: 'Clinic list with addresses and opening hours', type: 'story', estimate: 3 },
  { title: 'Therapist profiles with photo and specialties', type: 'story', estimate: 5 },
  { title: 'Import existing patients from the old system', type: 'story', estimate: 8 },
  { title: 'Booking confirmation email', type: 'story', estimate: 3 },
  { title: 'Privacy notice and consent at sign-up', type: 'story', estimate: 2 },
  { title: 'Calendar sync for therapists', type: 'story', estimate: 5 },
  { title: 'Clinic staff login with roles', type: 'story', estimate: 3 },
  { title: 'Audit log of booking changes', type: 'tech_debt', estimate: 2 },
  { title: 'Booking widget on the clinic websites', type: 'story', estimate: 5 },
  { title: 'Add the appointment to the phone calendar', type: 'story', estimate: null },
] as const;
type Title = (typeof delivered)[number]['title'];

type Outcome = {
  title: Title;
  outcome: 'accepted' | 'rejected' | 'next_sprint';
  unmet?: { line: string; needed: string };
};

/** Three closed sprints, two weeks each, ending just before the current one: velocities 13, 13 and 10. */
const past: Array<{ name: string; goal: string; goalMet: boolean; note: string; items: Outcome[] }> = [
  {
    name: 'Sprint 1',
    goal: 'Patients can find their clinic and therapist online',
    goalMet: true,
    note: 'Clinics and therapists are online; the patient import needs another pass.',
    items: [
      { title: 'Patient account with email login', outcome: 'accepted' },
      { title: 'Clinic list with addresses and opening hours', outcome: 'accepted' },
      { title: 'Therapist profiles with photo and specialties', outcome: 'accepted' },
      {
        title: 'Import existing patients from the old system',
        outcome: 'rejected',
        unmet: {
          line: 'dod:tests',
          needed: 'Cover patients who share one email address (families); 140 such records in Porto.',
        },
      },
    ],
  },
  {
    name: 'Sprint 2',
    goal: 'Existing patients log in and get their booking confirmed by email',
    goalMet: true,
    note: 'All existing patients are imported; calendar sync moves on.',
    items: [
      { title: 'Import existing patients from the old system', outcome: 'accepted' },
      { title: 'Booking confirmation email', outcome: 'accepted' },
      { title: 'Privacy notice and consent at sign-up', outcome: 'accepted' },
      { title: 'Calendar sync for therapists', outcome: 'next_sprint' },
    ],
  },
  {
    name: 'Sprint 3',
    goal: 'Clinic staff trust the online calendar as their only calendar',
    goalMet: false,
    note: 'Staff use the calendar, but the website widget is not accessible yet, so clinics still take calls.',
    items: [
      { title: 'Calendar sync for therapists', outcome: 'accepted' },
      { title: 'Clinic staff login with roles', outcome: 'accepted' },
      { title: 'Audit log of booking changes', outcome: 'accepted' },
      {
        title: 'Booking widget on the clinic websites',
        outcome: 'rejected',
        unmet: {
          line: 'dod:a11y',
          needed:
            'Keyboard users lose focus when the slot picker opens; it must keep focus and announce the chosen slot.',
        },
      },
    ],
  },
];

const current = {
  name: 'Sprint 4',
  goal: 'A new patient books a first assessment online without calling the clinic',
  items: [
    'Book a first assessment online',
    'See free slots per clinic and therapist',
    'Slot list shows times in UTC instead of clinic time',
  ],
};

/**
 * Sprints with history, so velocity, burndown and forecasts show something real on first start: three closed
 * sprints (accepted and rejected work, an item carried over, a review with guest feedback turned into a backlog
 * item), the running Sprint 4 (the backlog's in-sprint items, one done, one re-estimated) and a planned Sprint 5.
 * Every step is in the decision log as the services would write it, dated in the past.
 */
export async function seedDemoSprints(
  tx: Tx,
  productId: string,
  people: { owner: string; dev: string; tester: string; stakeholder: string },
  itemId: (title: string) => string,
) {
  const startOf = (n: number) => new Date(Date.now() - (5 + (4 - n) * 14) * day);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const log: Array<typeof decisions.$inferInsert> = [];
  const entry = (e: Omit<typeof decisions.$inferInsert, 'productId'>) => log.push({ productId, ...e });

  // The rejected widget went back near the top of the order (after the first epic's running stories); the
  // feedback item was placed at the bottom; delivered items sit below everything, finished.
  const order = await tx
    .select({ rank: backlogItems.rank })
    .from(backlogItems)
    .where(eq(backlogItems.productId, productId))
    .orderBy(asc(backlogItems.rank));
  const widget = 'Booking widget on the clinic websites';
  const tail = generateNKeysBetween(order.at(-1)?.rank ?? null, null, delivered.length - 1);
  const ranks = new Map<string, string>();
  ranks.set(widget, generateNKeysBetween(order[3]?.rank ?? null, order[4]?.rank ?? null, 1)[0]);
  const rest = [
    delivered.find((d) => d.title.startsWith('Add the appointment'))!,
    ...delivered.filter((d) => d.title !== widget && !d.title.startsWith('Add the appointment')),
  ];
  for (const [i, d] of rest.entries()) ranks.set(d.title, tail[i]);
  const rows = await tx
    .insert(backlogItems)
    .values(
      delivered.map((d) => ({
        productId,
        type: d.type,
        title: d.title,
        description: '',
        estimate: d.estimate,
        status:
          d.title === widget
            ? ('rejected' as const)
            : d.title.startsWith('Add the appointment')
              ? ('new' as const)
              : ('accepted' as const),
        rank: ranks.get(d.title)!,
        createdBy: people.owner,
        createdAt: new Date(startOf(1).getTime() - 10 * day),
      })),
    )
    .returning({ id: backlogItems.id, title: backlogItems.title });
  const idOf = (title: string) => rows.find((r) => r.title === title)?.id ?? itemId(title);
  const points = (title: string) => delivered.find((d) => d.title === title)?.estimate ?? null;
  const dodLines = demoDefinitionOfDone.map((d) => ({ line: `dod:${d.id}`, label: d.text }));

  const created = await tx
    .insert(sprints)
    .values([
      ...past.map((p, i) => ({
        productId,
        name: p.name,
        startDate: iso(startOf(i + 1)),
        endDate: iso(new Date(startOf(i + 1).getTime() + 13 * day)),
        goal: p.goal,
        capacity: 15,
        state: 'closed' as const,
        goalMet: p.goalMet,
        goalNote: p.note,
        createdBy: people.owner,
        createdAt: new Date(startOf(i + 1).getTime() - 2 * day),
        startedAt: startOf(i + 1),
        closedAt: new Date(startOf(i + 1).getTime() + 13 * day),
      })),
      {
        productId,
        name: current.name,
        startDate: iso(startOf(4)),
        endDate: iso(new Date(startOf(4).getTime() + 13 * day)),
        goal: current.goal,
        capacity: 15,
        state: 'active' as const,
        createdBy: people.owner,
        createdAt: new Date(startOf(4).getTime() - 2 * day),
        startedAt: startOf(4),
      },
      {
        productId,
        name: 'Sprint 5',
        startDate: iso(startOf(5)),
        endDate: iso(new Date(startOf(5).getTime() + 13 * day)),
        goal: 'Patients manage their own appointments',
        capacity: 15,
        state: 'planned' as const,
        createdBy: people.owner,
        createdAt: new Date(Date.now() - day),
      },
    ])
    .returning();
  const sprintOf = (name: string) => created.find((s) => s.name === name)!;

  for (const [index, p] of past.entries()) {
    const sprint = sprintOf(p.name);
    const start = startOf(index + 1);
    const close = new Date(start.getTime() + 13 * day);
    const planning = new Date(start.getTime() - day / 2);
    entry({
      actorId: people.owner,
      kind: 'sprint_created',
      after: {
        sprintId: sprint.id,
        name: sprint.name,
        startDate: sprint.startDate,
        endDate: sprint.endDate,
        goal: sprint.goal,
        capacity: 15,
      },
      createdAt: sprint.createdAt,
    });
    const committed = p.items.reduce((s, i) => s + (points(i.title) ?? 0), 0);
    for (const i of p.items) {
      const before = index > 0 ? past[index - 1].items.find((x) => x.title === i.title) : undefined;
      const carried = before !== undefined;
      entry({
        itemId: idOf(i.title),
        actorId: carried ? people.owner : people.dev,
        kind: 'sprint_item_added',
        before: { status: before ? (before.outcome === 'rejected' ? 'rejected' : 'in_sprint') : 'ready' },
        after: {
          sprintId: sprint.id,
          points: points(i.title),
          status: 'in_sprint',
          notReady: false,
          ...(carried ? { carriedOverFrom: sprintOf(past[index - 1].name).id } : {}),
        },
        createdAt: planning,
      });
    }
    entry({
      actorId: people.owner,
      kind: 'sprint_started',
      before: { sprintId: sprint.id, state: 'planned' },
      after: { sprintId: sprint.id, state: 'active', points: committed, items: p.items.length },
      createdAt: start,
    });

    // The review: a session held on the last day, ended when the sprint closed.
    const reviewAt = new Date(close.getTime() - 3 * 3600_000);
    const [session] = await tx
      .insert(liveSessions)
      .values({
        productId,
        kind: 'review',
        title: `Sprint review: ${p.name}`,
        phase: 'wrap_up',
        facilitatorId: people.owner,
        settings: { sprintId: sprint.id },
        joinCode: randomBytes(18).toString('base64url'),
        createdBy: people.owner,
        createdAt: reviewAt,
        startedAt: reviewAt,
        endedAt: close,
      })
      .returning({ id: liveSessions.id });
    await tx.update(sprints).set({ reviewSessionId: session.id }).where(eq(sprints.id, sprint.id));
    await tx.insert(sessionAgenda).values(
      p.items.map((i, position) => ({
        sessionId: session.id,
        itemId: idOf(i.title),
        position,
        timeboxSeconds: 600,
      })),
    );

    const members: Array<typeof sprintItems.$inferInsert> = [];
    const results: Array<typeof reviewResults.$inferInsert> = [];
    for (const [k, i] of p.items.entries()) {
      const id = idOf(i.title);
      const pts = points(i.title);
      const doneAt = new Date(start.getTime() + (3 + k * 2) * day);
      const decidedAt = new Date(reviewAt.getTime() + (k + 1) * 600_000);
      const finished = i.outcome !== 'next_sprint';
      members.push({
        sprintId: sprint.id,
        itemId: id,
        pointsAtCommit: pts,
        statusBefore: 'ready',
        addedBy: people.dev,
        addedAt: planning,
        doneAt: finished ? doneAt : null,
        outcome: i.outcome === 'next_sprint' ? null : i.outcome,
        pointsAtReview: finished ? pts : null,
        decidedAt,
        unfinishedDecision: finished ? null : 'next_sprint',
        nextSprintId: finished ? null : sprintOf(past[index + 1].name).id,
      });
      if (!finished) {
        entry({
          itemId: id,
          actorId: people.owner,
          kind: 'sprint_item_unfinished',
          before: { status: 'in_sprint' },
          after: {
            sprintId: sprint.id,
            points: pts,
            decision: 'next_sprint',
            nextSprintId: sprintOf(past[index + 1].name).id,
            status: 'in_sprint',
          },
          reason: 'Waiting for the calendar provider’s API keys',
          sessionId: session.id,
          createdAt: decidedAt,
        });
        continue;
      }
      entry({
        itemId: id,
        actorId: people.dev,
        kind: 'sprint_item_done',
        before: { status: 'in_sprint' },
        after: { sprintId: sprint.id, points: pts, status: 'done' },
        createdAt: doneAt,
      });
      for (const l of dodLines) {
        const unmet = i.unmet?.line === l.line;
        results.push({
          sprintId: sprint.id,
          itemId: id,
          line: l.line,
          label: l.label,
          met: !unmet,
          feedback: unmet ? i.unmet!.needed : '',
          updatedBy: people.owner,
          updatedAt: decidedAt,
        });
      }
      if (i.outcome === 'accepted') {
        entry({
          itemId: id,
          actorId: people.owner,
          kind: 'sprint_item_accepted',
          before: { status: 'done' },
          after: { sprintId: sprint.id, points: pts, status: 'accepted', lines: dodLines.length },
          sessionId: session.id,
          createdAt: decidedAt,
        });
      } else {
        const label = dodLines.find((l) => l.line === i.unmet!.line)!.label;
        entry({
          itemId: id,
          actorId: people.owner,
          kind: 'sprint_item_rejected',
          before: { status: 'done' },
          after: {
            sprintId: sprint.id,
            points: pts,
            status: 'rejected',
            position: 'top',
            feedback: [{ line: i.unmet!.line, label, needed: i.unmet!.needed }],
          },
          reason: `${label}: ${i.unmet!.needed}`,
          sessionId: session.id,
          createdAt: decidedAt,
        });
      }
    }
    await tx.insert(sprintItems).values(members);
    if (results.length > 0) await tx.insert(reviewResults).values(results);
    const velocity = p.items
      .filter((i) => i.outcome === 'accepted')
      .reduce((s, i) => s + (points(i.title) ?? 0), 0);
    entry({
      actorId: people.owner,
      kind: 'sprint_closed',
      before: { sprintId: sprint.id, state: 'active' },
      after: {
        sprintId: sprint.id,
        state: 'closed',
        goalMet: p.goalMet,
        velocity,
        accepted: p.items.filter((i) => i.outcome === 'accepted').length,
        rejected: p.items.filter((i) => i.outcome === 'rejected').length,
      },
      reason: p.note,
      sessionId: session.id,
      createdAt: close,
    });

    if (index === past.length - 1) {
      // Feedback in the last review: one note became a backlog item, one is still open.
      const [po, guest] = await tx
        .insert(sessionParticipants)
        .values([
          { sessionId: session.id, userId: people.owner, joinedAt: reviewAt },
          { sessionId: session.id, guestName: 'Marta (Porto front desk)', joinedAt: reviewAt },
          { sessionId: session.id, userId: people.stakeholder, joinedAt: reviewAt },
          { sessionId: session.id, userId: people.dev, joinedAt: reviewAt },
        ])
        .returning({ id: sessionParticipants.id });
      const notes = await tx
        .insert(sessionNotes)
        .values([
          {
            sessionId: session.id,
            itemId: idOf('Calendar sync for therapists'),
            participantId: guest.id,
            kind: 'feedback',
            text: 'Patients keep asking how to put the appointment in their phone calendar.',
            createdAt: new Date(reviewAt.getTime() + 15 * 60_000),
            resolvedAt: close,
          },
          {
            sessionId: session.id,
            itemId: idOf('Booking widget on the clinic websites'),
            participantId: po.id,
            kind: 'feedback',
            text: 'The widget should match each clinic’s colours.',
            createdAt: new Date(reviewAt.getTime() + 40 * 60_000),
          },
        ])
        .returning({ id: sessionNotes.id });
      const newItem = idOf('Add the appointment to the phone calendar');
      await tx.insert(feedbackItems).values({
        noteId: notes[0].id,
        sprintId: sprint.id,
        itemId: newItem,
        createdBy: people.owner,
        createdAt: close,
      });
      entry({
        itemId: newItem,
        actorId: people.owner,
        kind: 'created',
        after: {
          title: 'Add the appointment to the phone calendar',
          type: 'story',
          placement: { position: 'bottom' },
          sprintId: sprint.id,
          fromFeedbackNoteId: notes[0].id,
        },
        reason: 'Review feedback: Patients keep asking how to put the appointment in their phone calendar.',
        sessionId: session.id,
        createdAt: new Date(reviewAt.getTime() + 20 * 60_000),
      });
    }
  }

  // Sprint 4 runs: committed half a day before it started; a re-estimate on day two; the first story is done.
  // (The done story is the one with the lowest WSJF, so a WSJF reorder never brings a finished item to the top.)
  const running = sprintOf(current.name);
  const start = startOf(4);
  const planning = new Date(start.getTime() - day / 2);
  const items = await tx
    .select({ id: backlogItems.id, title: backlogItems.title, estimate: backlogItems.estimate })
    .from(backlogItems)
    .where(inArray(backlogItems.id, current.items.map(itemId)));
  const slots = 'See free slots per clinic and therapist';
  const finished = 'Book a first assessment online';
  const committedPoints = (title: string, estimate: number | null) => (title === slots ? 3 : estimate);
  await tx.insert(sprintItems).values(
    items.map((i) => ({
      sprintId: running.id,
      itemId: i.id,
      pointsAtCommit: committedPoints(i.title, i.estimate),
      statusBefore: 'ready' as const,
      addedBy: people.dev,
      addedAt: planning,
      doneAt: i.title === finished ? new Date(start.getTime() + 2 * day) : null,
    })),
  );
  await tx
    .update(backlogItems)
    .set({ status: 'done' })
    .where(eq(backlogItems.id, itemId(finished)));
  entry({
    actorId: people.owner,
    kind: 'sprint_created',
    after: {
      sprintId: running.id,
      name: running.name,
      startDate: running.startDate,
      endDate: running.endDate,
      goal: running.goal,
      capacity: 15,
    },
    createdAt: running.createdAt,
  });
  for (const i of items) {
    entry({
      itemId: i.id,
      actorId: people.dev,
      kind: 'sprint_item_added',
      before: { status: 'ready' },
      after: {
        sprintId: running.id,
        points: committedPoints(i.title, i.estimate),
        status: 'in_sprint',
        notReady: false,
      },
      createdAt: planning,
    });
  }
  entry({
    actorId: people.owner,
    kind: 'sprint_started',
    before: { sprintId: running.id, state: 'planned' },
    after: {
      sprintId: running.id,
      state: 'active',
      points: items.reduce((s, i) => s + (committedPoints(i.title, i.estimate) ?? 0), 0),
      items: items.length,
    },
    createdAt: start,
  });
  entry({
    itemId: itemId(slots),
    actorId: people.owner,
    kind: 'edited',
    before: { estimate: 3 },
    after: { estimate: 5 },
    reason: 'Therapist filters turned out to need the calendar API too',
    createdAt: new Date(start.getTime() + day),
  });
  entry({
    itemId: itemId(finished),
    actorId: people.dev,
    kind: 'sprint_item_done',
    before: { status: 'in_sprint' },
    after: { sprintId: running.id, points: 8, status: 'done' },
    createdAt: new Date(start.getTime() + 2 * day),
  });
  entry({
    actorId: people.owner,
    kind: 'sprint_created',
    after: {
      sprintId: sprintOf('Sprint 5').id,
      name: 'Sprint 5',
      goal: 'Patients manage their own appointments',
      capacity: 15,
    },
    createdAt: sprintOf('Sprint 5').createdAt,
  });

  await tx.insert(decisions).values(log);
}
