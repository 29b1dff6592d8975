import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { roleLabels } from '~/domain/roles';
import { acceptInvite, describeInvite } from '~/services/invites.server';
import { getUser, requireUser } from '~/services/auth.server';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Join a product · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const invite = await orRespond(describeInvite(context.app.db, params.token ?? ''));
  const user = await getUser(request, context);
  return { productName: invite.productName, role: invite.role, signedIn: Boolean(user) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const joined = await orRespond(acceptInvite(context.app.db, params.token ?? '', user.id));
  context.app.log.info({
    event: 'invite_accepted',
    productId: joined.productId,
    userId: user.id,
    role: joined.role,
  });
  return redirect(`/products/${joined.productId}`);
}

export default function AcceptInvite() {
  const { productName, role, signedIn } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== 'idle';
  const here = useLocation().pathname;
  return (
    <section className="card narrow" aria-labelledby="invite-title">
      <h1 id="invite-title">Join {productName}</h1>
      <p>
        You are invited as a <strong>{roleLabels[role].toLowerCase()}</strong>.
      </p>
      {signedIn ? (
        <Form method="post">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Joining…' : `Join ${productName}`}
          </button>
        </Form>
      ) : (
        <InviteSignIn here={here} />
      )}
    </section>
  );
}

function InviteSignIn({ here }: { here: string }) {
  const redirectTo = encodeURIComponent(here || '');
  return (
    <div className="stack">
      <p>Sign up or log in first; you come back here to join.</p>
      <p className="actions">
        <Link className="button" to={`/signup?redirectTo=${redirectTo}`}>
          Sign up
        </Link>
        <Link className="button button-secondary" to={`/login?redirectTo=${redirectTo}`}>
          Log in
        </Link>
      </p>
    </div>
  );
}
