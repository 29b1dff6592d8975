import { describe, expect, it } from 'vitest';
import { describeDecision } from '~/components/backlog/decision-text';
import { answerRequest, countByState, itemDescriptionFrom, triage } from './requests';
import { equalWsjfWeights, weightedWsjfScore, wsjfScore } from './wsjf';

const open = { productId: 'p1', status: 'ready' };

describe('triaging a request', () => {
  it('declines only with a written reason', () => {
    expect(triage('new', 'p1', { action: 'decline', reason: '   ' }, null)).toMatchObject({
      ok: false,
      field: 'reason',
    });
    expect(triage('new', 'p1', { action: 'decline', reason: ' Out of scope ' }, null)).toEqual({
      ok: true,
      state: 'declined',
      answer: 'Out of scope',
    });
  });

  it('asks for more only with a question, and the requester’s answer makes it new again', () => {
    expect(triage('new', 'p1', { action: 'ask', question: '' }, null)).toMatchObject({ ok: false });
    expect(triage('new', 'p1', { action: 'ask', question: 'How many users?' }, null)).toMatchObject({
      ok: true,
      state: 'needs_info',
    });
    expect(answerRequest('needs_info', 'About 300')).toEqual({ ok: true, state: 'new' });
    expect(answerRequest('needs_info', '  ')).toMatchObject({ ok: false, field: 'answer' });
    expect(answerRequest('new', 'Unasked')).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('accepts only with a position, after an open item of the same product', () => {
    expect(triage('new', 'p1', { action: 'accept', placement: null }, null)).toMatchObject({
      ok: false,
      field: 'position',
    });
    expect(triage('new', 'p1', { action: 'accept', placement: { at: 'top' } }, null)).toMatchObject({
      ok: true,
      state: 'accepted',
    });
    const after = { action: 'accept', placement: { at: 'after', itemId: 'i' } } as const;
    expect(triage('new', 'p1', after, open)).toMatchObject({ ok: true });
    expect(triage('new', 'p1', after, { productId: 'p2', status: 'ready' })).toMatchObject({ ok: false });
    expect(triage('new', 'p1', after, null)).toMatchObject({ ok: false, field: 'afterItemId' });
  });

  it('merges only into an existing open item of the same product', () => {
    const merge = { action: 'merge', itemId: 'i' } as const;
    expect(triage('needs_info', 'p1', merge, open)).toMatchObject({ ok: true, state: 'merged' });
    expect(triage('new', 'p1', merge, null)).toMatchObject({ ok: false, field: 'itemId' });
    expect(triage('new', 'p1', merge, { productId: 'p2', status: 'new' })).toMatchObject({ ok: false });
    for (const status of ['done', 'accepted', 'archived', 'rejected'])
      expect(triage('new', 'p1', merge, { productId: 'p1', status }), status).toMatchObject({ ok: false });
  });

  it('does not triage a decided request again', () => {
    for (const state of ['accepted', 'merged', 'declined'] as const)
      expect(triage(state, 'p1', { action: 'decline', reason: 'No' }, null), state).toMatchObject({
        ok: false,
        code: 'conflict',
      });
  });

  it('counts every state and writes the item text from the request', () => {
    expect(countByState([{ state: 'new' }, { state: 'new' }, { state: 'declined' }])).toEqual({
      new: 2,
      needs_info: 0,
      accepted: 0,
      merged: 0,
      declined: 1,
    });
    expect(
      itemDescriptionFrom({
        problem: 'Slow export',
        whoHasIt: 'Accountants',
        expectedValue: '',
        deadline: '2027-01-31',
        requesterName: 'Ann',
      }),
    ).toBe('Problem: Slow export\n\nWho has it: Accountants\n\nDeadline: 2027-01-31\n\nRequested by Ann.');
  });
});

describe('weighted WSJF', () => {
  const parts = { userBusinessValue: 8, timeCriticality: 3, riskReduction: 2, jobSize: 5 };
  it('equals plain WSJF with equal weights', () => {
    expect(weightedWsjfScore(parts, equalWsjfWeights)).toBe(wsjfScore(parts));
  });
  it('weighs each part as agreed, and scores nothing with a missing part or a bad weight', () => {
    expect(weightedWsjfScore(parts, { businessValue: 2, timeCriticality: 1, riskReduction: 0.5 })).toBe(4);
    expect(weightedWsjfScore({ ...parts, jobSize: null }, equalWsjfWeights)).toBeNull();
    expect(weightedWsjfScore(parts, { businessValue: 0, timeCriticality: 1, riskReduction: 1 })).toBeNull();
  });
});

describe('request decisions in the log', () => {
  const entry = (kind: string, after: Record<string, unknown>) => ({
    id: 1,
    itemId: null,
    kind,
    before: null,
    after,
    reason: '',
    createdAt: new Date(0),
    actorName: 'Olivia Owner',
  });
  it('says which criteria version applied to triage and to an applied proposal', () => {
    expect(
      describeDecision(
        entry('request_declined', { title: 'Dark mode', requester: 'Sam', criteriaVersion: 3 }),
        () => undefined,
      ),
    ).toBe('Olivia Owner declined the request ‘Dark mode’ from Sam · criteria v3');
    expect(
      describeDecision(
        entry('request_accepted', { title: 'SMS', requester: 'Sam', position: 'top', criteriaVersion: 3 }),
        () => undefined,
      ),
    ).toBe('Olivia Owner accepted the request ‘SMS’ from Sam into the backlog (at the top) · criteria v3');
    expect(
      describeDecision(
        entry('proposal_applied', { mode: 'wsjf', moved: 2, criteriaVersion: 2 }),
        () => undefined,
      ),
    ).toBe('Olivia Owner applied the WSJF order proposal (2 items moved) · criteria v2');
    expect(
      describeDecision(
        entry('criteria_version_agreed', { criteriaVersion: 4, methods: ['wsjf'] }),
        () => undefined,
      ),
    ).toBe('Olivia Owner recorded the agreed prioritisation criteria v4 (wsjf)');
  });
});
