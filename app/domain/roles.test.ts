import { describe, expect, it } from 'vitest';
import { can } from './roles';

describe('can', () => {
  it('lets only the product owner order the backlog and manage members', () => {
    expect(can('product_owner', 'backlog.order')).toBe(true);
    expect(can('team_member', 'backlog.order')).toBe(false);
    expect(can('stakeholder', 'product.manage')).toBe(false);
    expect(can('team_member', 'product.manage')).toBe(false);
  });
  it('lets the team edit and estimate but not stakeholders', () => {
    expect(can('team_member', 'backlog.edit')).toBe(true);
    expect(can('team_member', 'item.estimate')).toBe(true);
    expect(can('stakeholder', 'backlog.edit')).toBe(false);
    expect(can('stakeholder', 'item.estimate')).toBe(false);
  });
  it('lets every member view and vote, and nobody without a role', () => {
    for (const role of ['product_owner', 'team_member', 'stakeholder'] as const) {
      expect(can(role, 'product.view')).toBe(true);
      expect(can(role, 'session.vote')).toBe(true);
    }
    expect(can(null, 'product.view')).toBe(false);
  });
});
