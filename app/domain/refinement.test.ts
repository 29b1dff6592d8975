import { describe, expect, it } from 'vitest';
import {
  estimateWarning,
  handOverRefusal,
  isEstimable,
  phaseAfter,
  preselectForRefinement,
} from './refinement';
import type { ActorRole } from './roles';

describe('refinement rules', () => {
  it('proposes only items that can still be refined and estimated', () => {
    const item = (type: string, status: string, ready = false) => ({ type, status, ready });
    expect(preselectForRefinement(item('story', 'new'))).toBe(true);
    expect(preselectForRefinement(item('bug', 'refined'))).toBe(true);
    expect(preselectForRefinement(item('spike', 'new'))).toBe(true);
    expect(preselectForRefinement(item('tech_debt', 'new'))).toBe(true);
    expect(preselectForRefinement(item('epic', 'new'))).toBe(false);
    expect(preselectForRefinement(item('story', 'rejected'))).toBe(false);
    expect(preselectForRefinement(item('story', 'done'))).toBe(false);
    expect(preselectForRefinement(item('story', 'accepted'))).toBe(false);
    expect(preselectForRefinement(item('story', 'in_sprint'))).toBe(false);
    expect(preselectForRefinement(item('story', 'ready'))).toBe(false);
    expect(preselectForRefinement(item('story', 'refined', true))).toBe(false);
  });

  it('warns before estimating an epic, and only an epic', () => {
    expect(isEstimable({ type: 'epic' })).toBe(false);
    expect(estimateWarning({ type: 'epic', title: 'Online booking' })).toMatch(
      /“Online booking” is an epic.*split/,
    );
    for (const type of ['story', 'bug', 'spike', 'tech_debt'])
      expect(estimateWarning({ type, title: 'x' })).toBeNull();
  });

  it('moves a refinement to estimating when a round opens, and back to refining once an estimate is committed', () => {
    for (const phase of ['lobby', 'refining', 'estimating', 'wrap_up'])
      expect(phaseAfter('refinement', phase, 'roundOpened')).toBe('estimating');
    expect(phaseAfter('refinement', 'estimating', 'roundRevealed')).toBe('estimating');
    expect(phaseAfter('refinement', 'refining', 'roundRevealed')).toBe('estimating');
    expect(phaseAfter('refinement', 'wrap_up', 'roundRevealed')).toBe('wrap_up');
    expect(phaseAfter('refinement', 'estimating', 'estimateCommitted')).toBe('refining');
    expect(phaseAfter('refinement', 'wrap_up', 'estimateCommitted')).toBe('wrap_up');
    expect(phaseAfter('refinement', 'lobby', 'itemChosen')).toBe('refining');
    expect(phaseAfter('refinement', 'estimating', 'itemChosen')).toBe('estimating');
    // Other kinds have phases of their own.
    expect(phaseAfter('review', 'lobby', 'itemChosen')).toBe('lobby');
    expect(phaseAfter('prioritisation', 'voting', 'roundOpened')).toBe('voting');
  });

  it('lets the facilitator or the product owner hand facilitation to the product owner or a team member', () => {
    const to = (role: ActorRole | null, isFacilitator = false) => ({
      role,
      isFacilitator,
    });
    const facilitatingDev = { role: 'team_member' as const, isFacilitator: true };
    const owner = { role: 'product_owner' as const, isFacilitator: false };
    expect(handOverRefusal(facilitatingDev, to('team_member'))).toBeNull();
    expect(handOverRefusal(facilitatingDev, to('product_owner'))).toBeNull();
    expect(handOverRefusal(owner, to('team_member'))).toBeNull();
    // Not the facilitator, not the product owner.
    const forbidden = { code: 'forbidden', message: expect.stringMatching(/^Only/) };
    expect(handOverRefusal({ role: 'team_member', isFacilitator: false }, to('team_member'))).toEqual(
      forbidden,
    );
    expect(handOverRefusal({ role: 'stakeholder', isFacilitator: false }, to('team_member'))).toEqual(
      forbidden,
    );
    expect(handOverRefusal({ role: 'guest', isFacilitator: false }, to('team_member'))).toEqual(forbidden);
    // Nobody runs a session who may not: stakeholders, guests, people outside the product.
    const notThem = { code: 'invalid', message: expect.stringMatching(/product owner or a team member/) };
    expect(handOverRefusal(owner, to('stakeholder'))).toEqual(notThem);
    expect(handOverRefusal(owner, to('guest'))).toEqual(notThem);
    expect(handOverRefusal(owner, to(null))).toEqual(notThem);
    expect(handOverRefusal(owner, to('team_member', true))).toMatchObject({
      code: 'invalid',
      message: /already/,
    });
  });
});
