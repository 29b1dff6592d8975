import type { Db } from '../../../db/client';
import { signUp } from '~/services/accounts.server';
import { acceptInvite, createInvite } from '~/services/invites.server';
import { createProduct } from '~/services/products.server';

const password = 'correct horse battery staple';

/** A product with a product owner, a team member and a stakeholder: the cast of most service tests. */
export async function seedTeam(db: Db, name = 'Main') {
  const suffix = Math.random().toString(36).slice(2, 8);
  const po = (await signUp(db, { email: `po-${suffix}@example.com`, displayName: 'Olivia PO', password })).id;
  const dev = (await signUp(db, { email: `dev-${suffix}@example.com`, displayName: 'Tom Dev', password })).id;
  const stakeholder = (
    await signUp(db, { email: `sh-${suffix}@example.com`, displayName: 'Sam Stakeholder', password })
  ).id;
  const productId = (await createProduct(db, po, { name, description: '' })).id;
  for (const [user, role] of [
    [dev, 'team_member'],
    [stakeholder, 'stakeholder'],
  ] as const) {
    const invite = await createInvite(db, productId, po, { role, expiresInDays: 7 });
    await acceptInvite(db, invite.token, user);
  }
  return { po, dev, stakeholder, productId, password };
}
