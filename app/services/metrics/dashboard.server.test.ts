import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client';
import { products } from '../../../db/schema';
import { seedDemo } from '../../../db/seed/demo';
import { openTestDatabase, testBackends } from '../../../db/test-database';
import { computeDashboard } from './dashboard.server';

// The dashboard's recent reviews, on the demo's three closed sprints: what the product owner decided and wrote,
// never what participants typed into the review room (a share link shows the dashboard to people without an account).
describe.each(testBackends)('stakeholder dashboard reviews on %s', (kind) => {
  let database: Database;
  let productId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    [{ id: productId }] = await database.db.select({ id: products.id }).from(products);
  });
  afterAll(() => database.close());

  it('shows each recent review with the goal note, outcomes, and what a rejected item still needs', async () => {
    const dashboard = await computeDashboard(database.db, productId);
    expect(dashboard.reviews.map((r) => [r.sprint, r.goalMet])).toEqual([
      ['Sprint 3', false],
      ['Sprint 2', true],
      ['Sprint 1', true],
    ]);
    const [third, , first] = dashboard.reviews;
    expect(third.goalNote).toBe(
      'Staff use the calendar, but the website widget is not accessible yet, so clinics still take calls.',
    );
    const widget = third.items.find((i) => i.title === 'Booking widget on the clinic websites');
    expect(widget).toMatchObject({ outcome: 'rejected' });
    expect(widget?.needed).toEqual([
      {
        label: expect.any(String),
        feedback:
          'Keyboard users lose focus when the slot picker opens; it must keep focus and announce the chosen slot.',
      },
    ]);
    const imported = first.items.find((i) => i.title === 'Import existing patients from the old system');
    expect(imported?.needed.map((n) => n.feedback)).toEqual([
      'Cover patients who share one email address (families); 140 such records in Porto.',
    ]);
    // Accepted items carry points and nothing "needed".
    const accepted = third.items.filter((i) => i.outcome === 'accepted');
    expect(accepted.length).toBe(3);
    expect(accepted.every((i) => i.needed.length === 0 && (i.points ?? 0) > 0)).toBe(true);
  });

  it("never carries the participants' own feedback notes", async () => {
    const text = JSON.stringify(await computeDashboard(database.db, productId));
    expect(text).not.toContain('Patients keep asking how to put the appointment in their phone calendar');
  });
});
