import { describe, expect, it } from 'vitest';
import {
  closeRefusal,
  commitmentCheck,
  isCalendarDate,
  maySprintMove,
  sprintItemRefusal,
  sprintItemState,
  sprintVelocity,
  velocitySummary,
} from './sprint-rules';

const facts = (over: Partial<Parameters<typeof sprintItemState>[0]> = {}) => ({
  removedAt: null,
  doneAt: null,
  outcome: null,
  unfinishedDecision: null,
  ...over,
});
const now = new Date();

describe('sprint states', () => {
  it('go planned → active → closed, never back', () => {
    expect(maySprintMove('planned', 'active')).toBe(true);
    expect(maySprintMove('active', 'closed')).toBe(true);
    expect(maySprintMove('active', 'planned')).toBe(false);
    expect(maySprintMove('closed', 'active')).toBe(false);
    expect(maySprintMove('planned', 'closed')).toBe(false);
  });
});

describe('items in a sprint', () => {
  it('derive their state from the membership', () => {
    expect(sprintItemState(facts())).toBe('committed');
    expect(sprintItemState(facts({ doneAt: now }))).toBe('done');
    expect(sprintItemState(facts({ doneAt: now, outcome: 'accepted' }))).toBe('accepted');
    expect(sprintItemState(facts({ unfinishedDecision: 'next_sprint' }))).toBe('moved_on');
    expect(sprintItemState(facts({ removedAt: now, doneAt: now }))).toBe('removed');
  });
  it('allow accept and reject only when done, unfinished decisions only when not done', () => {
    expect(sprintItemRefusal('accept', 'done')).toBeNull();
    expect(sprintItemRefusal('accept', 'committed')).toMatch(/not done yet/);
    expect(sprintItemRefusal('reject', 'accepted')).toMatch(/already accepted/);
    expect(sprintItemRefusal('decide_unfinished', 'committed')).toBeNull();
    expect(sprintItemRefusal('decide_unfinished', 'done')).toMatch(/waiting for the review/);
    expect(sprintItemRefusal('done', 'committed')).toBeNull();
    expect(sprintItemRefusal('undone', 'accepted')).toMatch(/already accepted/);
  });
  it('keep the sprint open until every item is decided', () => {
    expect(
      closeRefusal([
        facts({ doneAt: now, outcome: 'accepted' }),
        facts({ unfinishedDecision: 'backlog' }),
        facts({ removedAt: now }),
      ]),
    ).toBeNull();
    expect(closeRefusal([facts({ doneAt: now }), facts(), facts()])).toBe(
      'Decide every item before closing the sprint: 1 done item to accept or reject and 2 unfinished items to send back to the backlog or into the next sprint',
    );
  });
});

describe('velocity', () => {
  it('counts only accepted points', () => {
    expect(
      sprintVelocity([
        { outcome: 'accepted', points: 5 },
        { outcome: 'rejected', points: 8 },
        { outcome: null, points: 3 },
        { outcome: 'accepted', points: null },
      ]),
    ).toBe(5);
  });
  it('averages the last three to five sprints, and gives no average below three', () => {
    expect(velocitySummary([10, 20])).toEqual({ average: null, lowest: null, highest: null, sprints: 2 });
    expect(velocitySummary([10, 20, 30])).toEqual({ average: 20, lowest: 10, highest: 30, sprints: 3 });
    expect(velocitySummary([100, 10, 20, 30, 40, 50])).toEqual({
      average: 30,
      lowest: 10,
      highest: 50,
      sprints: 5,
    });
  });
  it('compares the commitment with the average velocity, or the capacity without history', () => {
    expect(commitmentCheck(25, velocitySummary([10, 20, 30]), 40)).toEqual({
      committed: 25,
      reference: 20,
      over: true,
      basis: 'velocity',
    });
    expect(commitmentCheck(25, velocitySummary([]), 30)).toEqual({
      committed: 25,
      reference: 30,
      over: false,
      basis: 'capacity',
    });
    expect(commitmentCheck(25, velocitySummary([]), null)).toMatchObject({
      reference: null,
      over: false,
      basis: 'none',
    });
  });
});

it('accepts real calendar dates only', () => {
  expect(isCalendarDate('2026-02-28')).toBe(true);
  expect(isCalendarDate('2026-02-30')).toBe(false);
  expect(isCalendarDate('28.02.2026')).toBe(false);
});
