/** Roles and what each may do: the table in docs/product-rules.md, as code. Checked on the server for every command. */
export const roles = ['product_owner', 'team_member', 'stakeholder'] as const;
export type Role = (typeof roles)[number];
export const invitableRoles = ['team_member', 'stakeholder'] as const;
export type InvitableRole = (typeof invitableRoles)[number];

export const roleLabels: Record<Role, string> = {
  product_owner: 'Product owner',
  team_member: 'Team member',
  stakeholder: 'Stakeholder',
};

export type Permission =
  | 'product.view'
  | 'product.manage' // rename, members, invites
  | 'backlog.order'
  | 'backlog.edit'
  | 'item.estimate'
  | 'review.decide'
  | 'review.feedback'
  | 'session.run'
  | 'session.vote';

/** A person in one session by its link, without an account: votes and scores there, nothing else. */
export type ActorRole = Role | 'guest';

const grants: Record<ActorRole, ReadonlySet<Permission>> = {
  product_owner: new Set<Permission>([
    'product.view',
    'product.manage',
    'backlog.order',
    'backlog.edit',
    'item.estimate',
    'review.decide',
    'review.feedback',
    'session.run',
    'session.vote',
  ]),
  team_member: new Set<Permission>([
    'product.view',
    'backlog.edit',
    'item.estimate',
    'review.feedback',
    'session.vote',
  ]),
  stakeholder: new Set<Permission>(['product.view', 'review.feedback', 'session.vote']),
  guest: new Set<Permission>(['review.feedback', 'session.vote']),
};

export function can(role: ActorRole | null | undefined, permission: Permission): boolean {
  return role ? grants[role].has(permission) : false;
}
