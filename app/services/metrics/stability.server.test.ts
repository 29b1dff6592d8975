import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '~/services/backlog/items.server';
import { moveItem } from '~/services/backlog/moves.server';
import { applyProposal } from '~/services/backlog/proposals.server';
import { refusal } from '~/services/testing/refusal';
import { seedTeam } from '~/services/testing/team.server';
import type { Database } from '../../../db/client';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { backlogStabilityReport } from './stability.server';

describe.each(testBackends)('backlog stability from the decision log on %s', (kind) => {
  let database: Database;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    team = await seedTeam(database.db);
    const scores = {
      low: { userBusinessValue: 1, timeCriticality: 1, riskReduction: 1, jobSize: 20 },
      high: { userBusinessValue: 20, timeCriticality: 20, riskReduction: 20, jobSize: 1 },
    } as const;
    for (const [name, score] of [
      ['A', scores.low],
      ['B', null],
      ['C', null],
      ['D', scores.high],
      ['E', null],
    ] as const) {
      const item = await createItem(database.db, team.productId, team.po, {
        title: `Story ${name}`,
        ...(score ?? {}),
      });
      ids[name] = item.id;
    }
  });
  afterAll(() => database.close());

  it('shows the week’s moves with places, who and why, to a stakeholder', async () => {
    const db = database.db;
    // A B C D E → E A B C D → E A C D B
    await moveItem(db, ids.E, team.po, { position: 'top', reason: 'Customer escalation' });
    await moveItem(db, ids.B, team.po, { position: 'bottom' });
    const report = await backlogStabilityReport(db, team.productId, team.stakeholder);
    expect(report).toMatchObject({ windowWeeks: 12, backlogSize: 5, timeZone: 'UTC' });
    expect(report.weeks).toHaveLength(1);
    const [week] = report.weeks;
    expect(week).toMatchObject({
      itemsMoved: 2,
      totalDistance: 6,
      largestMove: 4,
      stabilityIndex: 0.6,
      reshuffle: false,
    });
    expect(
      week.moves.map((m) => [m.title, m.from, m.to, m.actor, m.reason, m.noReason, m.kind, m.hidden]),
    ).toEqual([
      ['Story E', 5, 1, 'Olivia PO', 'Customer escalation', false, 'moved', false],
      ['Story B', 3, 5, 'Olivia PO', '', true, 'moved', false],
    ]);
  });

  it('counts the items an applied proposal moved, and flags the week when a fifth of the order moved', async () => {
    const db = database.db;
    // A (low WSJF) and D (high WSJF) swap their places: D then A.
    await applyProposal(db, team.productId, team.po, {
      mode: 'wsjf',
      itemIds: [ids.A, ids.D],
      reason: 'WSJF after the pricing workshop',
    });
    const [week] = (await backlogStabilityReport(db, team.productId, team.dev)).weeks;
    expect(week).toMatchObject({ itemsMoved: 4, reshuffle: true, causes: ['share'], stabilityIndex: 0.2 });
    expect(
      week.moves
        .filter((m) => m.kind === 'proposal_applied')
        .map((m) => [m.title, m.from, m.to, m.reason, m.mode]),
    ).toEqual([
      ['Story D', 2, 1, 'WSJF after the pricing workshop', 'wsjf'],
      ['Story A', 1, 2, 'WSJF after the pricing workshop', 'wsjf'],
    ]);
  });

  it('looks only at the weeks asked for, in the viewer’s time zone', async () => {
    const inThreeWeeks = new Date(Date.now() + 21 * 86_400_000);
    const db = database.db;
    expect(
      (await backlogStabilityReport(db, team.productId, team.po, { weeks: 2, now: inThreeWeeks })).weeks,
    ).toEqual([]);
    const wide = await backlogStabilityReport(db, team.productId, team.po, {
      weeks: 52,
      now: inThreeWeeks,
      timeZone: 'Pacific/Kiritimati',
    });
    expect(wide).toMatchObject({ windowWeeks: 52, timeZone: 'Pacific/Kiritimati' });
    expect(wide.weeks.flatMap((w) => w.moves)).toHaveLength(4);
  });

  it('is refused to people who are not members, as if the product did not exist', async () => {
    const other = await seedTeam(database.db, 'Other');
    expect(await refusal(backlogStabilityReport(database.db, team.productId, other.po))).toBe('not_found');
    expect(await refusal(backlogStabilityReport(database.db, other.productId, team.stakeholder))).toBe(
      'not_found',
    );
    expect((await backlogStabilityReport(database.db, other.productId, other.stakeholder)).weeks).toEqual([]);
  });
});
