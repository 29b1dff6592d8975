import { type ActionFunctionArgs, type LoaderFunctionArgs, data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { can, invitableRoles, roleLabels } from '~/domain/roles';
import { changeMemberRole, getProduct, listMembers, removeMember } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const product = await orRespond(getProduct(context.app.db, productId, user.id));
  const members = await orRespond(listMembers(context.app.db, productId, user.id));
  return { members, mayManage: can(product.role, 'product.manage'), me: user.id };
}

const memberAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('change-role'), userId: z.string(), role: z.enum(invitableRoles) }),
  z.object({ intent: z.literal('remove'), userId: z.string() }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const parsed = memberAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data(
      { message: 'That request was not understood. Reload the page and try again.' },
      { status: 400 },
    );
  if (parsed.data.intent === 'change-role') {
    const member = await orRespond(
      changeMemberRole(context.app, productId, user.id, parsed.data.userId, parsed.data.role),
    );
    context.app.log.info({
      event: 'member_role_changed',
      productId,
      memberId: member.userId,
      role: member.role,
      by: user.id,
    });
    return { message: `${member.displayName} is now a ${roleLabels[member.role].toLowerCase()}.` };
  }
  await orRespond(removeMember(context.app, productId, user.id, parsed.data.userId));
  context.app.log.info({ event: 'member_removed', productId, memberId: parsed.data.userId, by: user.id });
  return { message: 'Member removed.' };
}

export default function Members() {
  const { members, mayManage, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const parent = useRouteLoaderData<{ product: { id: string } }>('routes/products.$productId');
  return (
    <section aria-labelledby="members-title" className="stack">
      <div className="section-heading">
        <h2 id="members-title">Members</h2>
        {mayManage && parent ? (
          <Link className="button" to={`/products/${parent.product.id}/invites`}>
            Invite people
          </Link>
        ) : null}
      </div>
      {result?.message ? (
        <p className="alert" role="status">
          {result.message}
        </p>
      ) : null}
      <table className="table">
        <caption className="visually-hidden">People in this product and their roles</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            {mayManage ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>
                {m.displayName}
                {m.userId === me ? <span className="muted"> (you)</span> : null}
              </td>
              <td>{m.email}</td>
              <td>
                {mayManage && m.role !== 'product_owner' ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="change-role" />
                    <input type="hidden" name="userId" value={m.userId} />
                    <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                      Role of {m.displayName}
                    </label>
                    <select id={`role-${m.userId}`} name="role" defaultValue={m.role}>
                      {invitableRoles.map((r) => (
                        <option key={r} value={r}>
                          {roleLabels[r]}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button button-small button-secondary">
                      Change
                    </button>
                  </Form>
                ) : (
                  roleLabels[m.role]
                )}
              </td>
              {mayManage ? (
                <td>
                  {m.role !== 'product_owner' ? (
                    <Form
                      method="post"
                      onSubmit={(e) => {
                        if (!confirm(`Remove ${m.displayName} from this product?`)) e.preventDefault();
                      }}
                    >
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="button button-small button-danger">
                        Remove<span className="visually-hidden"> {m.displayName}</span>
                      </button>
                    </Form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
