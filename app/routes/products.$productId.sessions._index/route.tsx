import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData, useParams } from '@remix-run/react';
import { NoSessionsYet, newPrioritisationId, newRefinementId } from '~/components/meeting-empty-states';
import { NewPrioritisationForm } from '~/components/prioritisation/new-prioritisation-form';
import { NewSessionForm } from '~/components/session/new-session-form';
import { NewThreeAmigosForm } from '~/components/session/new-three-amigos-form';
import { SessionList } from '~/components/session/session-list';
import { requireUser } from '~/services/auth.server';
import stylesHref from '~/styles/session-room.css?url';
import { timeZoneOf } from '~/utils/client-hints';
import { orRespond } from '~/utils/route-errors.server';
import { createFromForm, loadSessionsPage } from './sessions-page.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta: MetaFunction = ({ matches }) => {
  const product = matches.find((m) => m.id === 'routes/products.$productId')?.data as
    | { product?: { name: string } }
    | undefined;
  return [
    { title: product?.product ? `Sessions · ${product.product.name} · Refinery` : 'Sessions · Refinery' },
  ];
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return orRespond(
    loadSessionsPage(context, params.productId ?? '', user.id, new URL(request.url), timeZoneOf(request)),
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return createFromForm(context, params.productId ?? '', user.id, await request.formData());
}

export default function Sessions() {
  const page = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const productId = useParams().productId ?? '';
  return (
    <section aria-labelledby="sessions-title" className="stack sessions-page">
      <div className="section-heading">
        <h2 id="sessions-title">Sessions</h2>
        {page.sessions.length > 0 ? (
          <p className="muted">
            Live refinement workshops (refine and split stories together, tick the Definition of Ready,
            estimate with planning poker) and stakeholder prioritisation sessions (dot voting and scoring,
            guests welcome).
          </p>
        ) : null}
      </div>
      {page.sessions.length === 0 ? (
        <NoSessionsYet
          productId={productId}
          mayCreate={Boolean(page.create)}
          hasItems={page.create ? page.create.total > 0 || page.create.q !== '' : true}
        />
      ) : (
        <SessionList productId={productId} sessions={page.sessions} />
      )}
      {page.create ? (
        <div id={newRefinementId}>
          <NewSessionForm
            productId={productId}
            options={page.create}
            result={failure && failure.kind === 'refinement' ? failure.result : null}
          />
        </div>
      ) : null}
      {page.create ? (
        <div id={newPrioritisationId}>
          <NewPrioritisationForm
            productId={productId}
            options={page.create}
            result={failure?.kind === 'prioritisation' ? failure.result : null}
          />
        </div>
      ) : null}
      {page.create ? (
        <div id="new-three-amigos">
          <NewThreeAmigosForm
            options={page.create}
            result={failure?.kind === 'three_amigos' ? failure.result : null}
          />
        </div>
      ) : null}
    </section>
  );
}
