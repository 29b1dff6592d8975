import { describe, expect, it } from 'vitest';
import { describeDecision } from '~/components/backlog/decision-text';
import {
  appliedOrderMessage,
  appliedOrderName,
  backlogProposalLabels,
  describeAppliedOrder,
  movedText,
  nothingMovedMessage,
  sessionOrderLabels,
} from './order-proposals';
import { orderMethods } from './score-results';

describe('applied order names', () => {
  it('names every mode a proposal_applied decision stores, and only WSJF ones as WSJF', () => {
    expect(appliedOrderName('wsjf')).toBe('WSJF order proposal');
    expect(appliedOrderName('moscow_wsjf')).toBe('MoSCoW-then-WSJF order proposal');
    expect(appliedOrderName('session_dots')).toBe('by-dots order');
    expect(appliedOrderName('session_wsjf')).toBe('by-WSJF order');
    expect(appliedOrderName('session_combined')).toBe('dots-and-WSJF order');
    expect(appliedOrderName('session_dots')).not.toMatch(/WSJF/);
  });

  it('names an unknown, missing or inherited mode vaguely, never as WSJF', () => {
    for (const mode of [undefined, null, 42, 'session_rice', 'constructor', '__proto__'])
      expect(appliedOrderName(mode)).toBe('order proposal');
  });

  it('has a button label for every session order method and every backlog mode', () => {
    for (const method of orderMethods) expect(sessionOrderLabels[method]).toBeTruthy();
    expect(Object.keys(backlogProposalLabels).sort()).toEqual(['moscow_wsjf', 'wsjf']);
  });
});

describe('moved counts in words', () => {
  it('says nothing moved rather than 0 items', () => {
    expect(movedText(0)).toBe('nothing moved: the backlog already followed this order');
  });
  it('counts one item and several', () => {
    expect(movedText(1)).toBe('1 item moved');
    expect(movedText(3)).toBe('3 items moved');
  });
  it('does not invent a count from a malformed one', () => {
    for (const moved of [undefined, -1, 1.5, '3']) expect(movedText(moved)).toBe('some items moved');
  });
});

describe('the decision log sentence', () => {
  it('names the session order it followed and the session', () => {
    expect(
      describeAppliedOrder('Olivia', { mode: 'session_dots', moved: 2, sessionTitle: 'Q3 priorities' }),
    ).toBe('Olivia applied the by-dots order from “Q3 priorities” (2 items moved)');
  });
  it('says plainly when nothing moved', () => {
    expect(describeAppliedOrder('Olivia', { mode: 'wsjf', moved: 0 })).toBe(
      'Olivia applied the WSJF order proposal (nothing moved: the backlog already followed this order)',
    );
  });
  it('is what the decision log shows for a proposal_applied entry', () => {
    const entry = {
      id: 1,
      itemId: null,
      kind: 'proposal_applied',
      before: { order: [] },
      after: { order: [], mode: 'session_combined', moved: 1, sessionTitle: 'Spring' },
      reason: 'agreed',
      createdAt: new Date(0),
      actorName: 'Olivia Owner',
    };
    expect(describeDecision(entry, () => undefined)).toBe(
      'Olivia Owner applied the dots-and-WSJF order from “Spring” (1 item moved)',
    );
  });
});

describe('the message after applying', () => {
  it('tells the product owner plainly that nothing moved', () => {
    expect(appliedOrderMessage(0)).toBe(nothingMovedMessage);
    expect(appliedOrderMessage(0, 'the WSJF order to 4 items')).toMatch(
      /^Nothing moved: the backlog already follows this order\./,
    );
  });
  it('counts what moved, naming the order where given', () => {
    expect(appliedOrderMessage(1)).toBe('Applied: 1 item moved. The backlog and the decision log show it.');
    expect(appliedOrderMessage(3, 'the WSJF order to 5 items')).toBe(
      'Applied the WSJF order to 5 items: 3 items moved. The backlog and the decision log show it.',
    );
  });
});
