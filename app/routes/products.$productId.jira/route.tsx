import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { ConnectionSection } from '~/components/jira/connection-section';
import { FieldMapSection } from '~/components/jira/field-map-section';
import { ImportSection } from '~/components/jira/import-section';
import { SyncStatus } from '~/components/jira/sync-status';
import { requireUser } from '~/services/auth.server';
import stylesHref from '~/styles/backlog-tools.css?url';
import { orRespond } from '~/utils/route-errors.server';
import { loadJiraPage, runJiraForm } from './jira-page.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta: MetaFunction = ({ matches }) => {
  const product = matches.find((m) => m.id === 'routes/products.$productId')?.data as
    | { product?: { name: string } }
    | undefined;
  return [{ title: product?.product ? `Jira · ${product.product.name} · Refinery` : 'Jira · Refinery' }];
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return orRespond(loadJiraPage(context, params.productId ?? '', user.id));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return runJiraForm(context, params.productId ?? '', user.id, request);
}

export default function JiraPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { status, mayManage } = page;
  return (
    <section aria-labelledby="jira-title" className="stack">
      <div className="section-heading">
        <h2 id="jira-title">Jira</h2>
        <p className="muted">
          Import Jira issues as backlog items and keep them in step: changes in Jira come here, and the
          meetings’ decisions go back to Jira.
        </p>
      </div>
      {!status.keysConfigured ? (
        <div className="alert alert-error" role="alert">
          <p>
            This server cannot store Jira tokens: it has no <code>TRACKER_SECRET_KEYS</code> configured
            {status.connected ? ', so the sync cannot open the saved token' : ''}.
          </p>
          <p>
            Whoever runs Refinery sets <code>TRACKER_SECRET_KEYS</code> (one or more 32-byte keys, base64) on
            every copy of the server and restarts it; the README’s “Jira sync” section says how.
          </p>
        </div>
      ) : null}
      <ConnectionSection page={page} reply={reply} />
      {status.connected ? (
        <>
          <SyncStatus page={page} reply={reply} />
          {mayManage ? <ImportSection status={status} reply={reply} /> : null}
          <FieldMapSection page={page} reply={reply} />
        </>
      ) : null}
    </section>
  );
}
