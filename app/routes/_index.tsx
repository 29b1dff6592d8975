import { type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { getUser } from '~/services/session.server';

export const meta: MetaFunction = () => [{ title: 'Refinery: the Product Owner’s workshop room' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect('/products');
  return null;
}

export default function Index() {
  return (
    <section className="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">The live workshop room of a Product Owner</h1>
      <p className="lead">
        Refine stories with your team, prioritise with stakeholders and run sprint reviews together, remotely.
        Every decision lands in one ordered product backlog.
      </p>
      <p className="actions">
        <Link className="button" to="/signup">
          Create an account
        </Link>
        <Link className="button button-secondary" to="/login">
          Log in
        </Link>
      </p>
    </section>
  );
}
