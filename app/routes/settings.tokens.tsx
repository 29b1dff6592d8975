import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { CopyField } from '~/components/copy-field';
import { Field } from '~/components/forms';
import { createApiToken, listApiTokens, revokeApiToken, tokenNameSchema } from '~/services/api-tokens.server';
import { requireUser } from '~/services/auth.server';
import { useTimeZone } from '~/utils/client-hints';
import { formatDate } from '~/utils/dates';
import { parseFormSubmission } from '~/utils/form-submission';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'API tokens · Refinery' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { tokens: await listApiTokens(context.app.db, user.id) };
}

const newTokenSchema = z.object({ name: tokenNameSchema });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  if (formData.get('intent') === 'revoke') {
    await orRespond(revokeApiToken(context.app.db, user.id, String(formData.get('tokenId') ?? '')));
    context.app.log.info({ event: 'api_token_revoked', userId: user.id });
    return { revoked: true as const };
  }
  const submission = parseFormSubmission(formData, newTokenSchema);
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const created = await createApiToken(context.app.db, user.id, submission.value.name);
  context.app.log.info({ event: 'api_token_created', userId: user.id, tokenId: created.id });
  return { result: submission.reply(), created: { name: created.name, token: created.token } };
}

export default function Tokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const result = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof newTokenSchema>>({
    lastResult: result && 'result' in result ? result.result : undefined,
  });
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="stack">
      <h1>API tokens</h1>
      <p className="muted">
        Personal tokens let scripts and integrations call the <a href="/api/v1/openapi.json">Refinery API</a>{' '}
        as you. Send one as <code>Authorization: Bearer …</code>.
      </p>
      <section className="card" aria-labelledby="new-token-title">
        <h2 id="new-token-title">Create a token</h2>
        <Form method="post" {...getFormProps(form)}>
          <Field label="Token name" hint="What will use it, e.g. “Jira sync”" meta={fields.name} required />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </Form>
        {result && 'created' in result && result.created ? (
          <div className="alert alert-success" role="status">
            <CopyField label={`Token “${result.created.name}”`} value={result.created.token} />
            <p className="hint">Copy it now: it is shown only once and stored only as a hash.</p>
          </div>
        ) : null}
      </section>
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">Your tokens</h2>
        {tokens.length === 0 ? (
          <p className="muted">You have no API tokens.</p>
        ) : (
          <ul className="plain-list" aria-label="Your tokens">
            {tokens.map((t) => (
              <li key={t.id} className="row">
                <span>
                  <strong>{t.name}</strong> · created {formatDate(t.createdAt, timeZone)} ·{' '}
                  {t.lastUsedAt ? `last used ${formatDate(t.lastUsedAt, timeZone)}` : 'never used'}
                </span>
                <Form
                  method="post"
                  onSubmit={(e) => {
                    if (!confirm(`Revoke “${t.name}”? Anything using it stops working.`)) e.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="tokenId" value={t.id} />
                  <button type="submit" className="button button-small button-danger">
                    Revoke<span className="visually-hidden"> {t.name}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
