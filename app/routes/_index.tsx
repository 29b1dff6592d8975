import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listProducts } from '~/services/products.server';
import { getUser } from '~/services/auth.server';

export const meta: MetaFunction = () => [{ title: 'Refinery: the Product Owner’s workshop room' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return {
    signedIn: Boolean(user),
    products: user ? (await listProducts(context.app.db, user.id)).length : 0,
  };
}

const meetings = [
  {
    title: 'Refinement workshops',
    text: 'The team and you co-edit stories live, split epics, agree Gherkin acceptance criteria, check the Definition of Ready and estimate with planning poker: nobody sees a card before the reveal.',
  },
  {
    title: 'Prioritisation sessions',
    text: 'Stakeholders, guests too, spread dots and score WSJF, MoSCoW, business value or Kano. The results propose a backlog order that you accept with a written reason.',
  },
  {
    title: 'Sprint reviews',
    text: 'Walk the finished stories together and tick every acceptance criterion and the Definition of Done. Accept, or reject with what is needed; feedback becomes new items.',
  },
];

/** The start page: what Refinery is, the three meetings it runs, and what to do first. */
export default function Index() {
  const { signedIn, products } = useLoaderData<typeof loader>();
  return (
    <div className="stack home">
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">The live workshop room of a Product Owner</h1>
        <p className="lead">
          Refine stories with your team, prioritise with stakeholders and run sprint reviews together,
          remotely. Every decision lands in one ordered product backlog.
        </p>
        <p className="actions">
          {signedIn ? (
            products > 0 ? (
              <Link className="button" to="/products">
                Open your products
              </Link>
            ) : (
              <Link className="button" to="/products#new-product">
                Create your first product
              </Link>
            )
          ) : (
            <>
              <Link className="button" to="/signup">
                Create an account
              </Link>
              <Link className="button button-secondary" to="/login">
                Log in
              </Link>
            </>
          )}
        </p>
      </section>
      <section aria-labelledby="meetings-title" className="stack">
        <h2 id="meetings-title">Three meetings, one backlog</h2>
        <ul className="meeting-kinds">
          {meetings.map((m) => (
            <li key={m.title} className="card">
              <h3>{m.title}</h3>
              <p>{m.text}</p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="start-title" className="stack">
        <h2 id="start-title">How to start</h2>
        <ol className="steps">
          <li>
            <strong>Create a product.</strong> You become its product owner.
          </li>
          <li>
            <strong>Fill its backlog.</strong> Write the first items, or import a CSV or Jira export.
          </li>
          <li>
            <strong>Invite your team and stakeholders</strong> with a link (Members, under More).
          </li>
          <li>
            <strong>Run your first refinement workshop</strong> from Sessions, then plan a sprint.
          </li>
        </ol>
      </section>
    </div>
  );
}
