import { describe, expect, it } from 'vitest';
import {
  mayAccept,
  mayBeFacilitator,
  mayEditText,
  mayEstimate,
  mayFacilitate,
  mayGiveJobSize,
  mayManageSession,
  mayOrder,
  mayReveal,
} from './policies';
import type { ActorRole } from './roles';

const everyone: ActorRole[] = ['product_owner', 'team_member', 'stakeholder', 'guest'];
const who = (rule: (role: ActorRole) => boolean) => everyone.filter(rule);

describe('who may do what', () => {
  it('facilitates and reveals: the named facilitator, and the product owner always', () => {
    for (const rule of [mayFacilitate, mayReveal]) {
      expect(who((role) => rule({ role, isFacilitator: false }))).toEqual(['product_owner']);
      // A team member named facilitator runs the session; so would anyone the server let be named.
      expect(rule({ role: 'team_member', isFacilitator: true })).toBe(true);
    }
  });

  it('may be named facilitator: the product owner and team members', () => {
    expect(who(mayBeFacilitator)).toEqual(['product_owner', 'team_member']);
    expect(mayBeFacilitator(null)).toBe(false);
  });

  it('estimates in poker: the product owner and the team; guests only while the facilitator lets them', () => {
    expect(who((role) => mayEstimate(role, { guestsEstimate: false }))).toEqual([
      'product_owner',
      'team_member',
    ]);
    expect(who((role) => mayEstimate(role, { guestsEstimate: true }))).toEqual([
      'product_owner',
      'team_member',
      'guest',
    ]);
  });

  it('gives job sizes and edits text: the product owner and the team', () => {
    expect(who(mayGiveJobSize)).toEqual(['product_owner', 'team_member']);
    expect(who(mayEditText)).toEqual(['product_owner', 'team_member']);
  });

  it('accepts work, orders the backlog and manages a session’s people: the product owner alone', () => {
    expect(who(mayAccept)).toEqual(['product_owner']);
    expect(who(mayOrder)).toEqual(['product_owner']);
    expect(who(mayManageSession)).toEqual(['product_owner']);
  });

  it('grants nothing to someone without a role', () => {
    for (const rule of [mayAccept, mayEditText, mayGiveJobSize, mayOrder, mayManageSession])
      expect(rule(null)).toBe(false);
    expect(mayEstimate(undefined, { guestsEstimate: true })).toBe(false);
  });
});
