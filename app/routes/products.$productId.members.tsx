import { type ActionFunctionArgs, type LoaderFunctionArgs, data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { FormAlert } from '~/components/forms';
import { firstError, formRefusal, parseFormSubmission } from '~/utils/form-submission';
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
  const submission = parseFormSubmission(await request.formData(), memberAction);
  if (submission.status !== 'success')
    return data(
      { result: formRefusal('That request was not understood. Reload the page and try again.') },
      { status: 400 },
    );
  const input = submission.value;
  if (input.intent === 'change-role') {
    const member = await orRespond(
      changeMemberRole(context.app, productId, user.id, input.userId, input.role),
    );
    context.app.log.info({
      event: 'member_role_changed',
      productId,
      memberId: member.userId,
      role: member.role,
      by: user.id,
    });
    return {
      result: submission.reply(),
      message: `${member.displayName} is now a ${roleLabels[member.role].toLowerCase()}.`,
    };
  }
  await orRespond(removeMember(context.app, productId, user.id, input.userId));
  context.app.log.info({ event: 'member_removed', productId, memberId: input.userId, by: user.id });
  return { result: submission.reply(), message: 'Member removed.' };
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
      <FormAlert message={firstError(result?.result)?.message} />
      {result && 'message' in result ? (
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
