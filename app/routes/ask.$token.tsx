import { getFormProps, useForm } from '@conform-to/react';
import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useId } from 'react';
import type { z } from 'zod';
import type { HeaderHandle } from '~/components/app-header';
import { Field, FormAlert, TextareaField } from '~/components/forms';
import { clientAddress } from '~/services/auth.server';
import { currentCriteria } from '~/services/requests/criteria.server';
import { runLinkRequestForm } from '~/services/requests/request-forms.server';
import { type linkRequestSchema, requestLinkByToken } from '~/services/requests/requests.server';
import stylesHref from '~/styles/prioritisation.css?url';

/* A product's request link: anyone with it sends a request, no account needed (issue 17). */

export const handle: HeaderHandle = { guestPage: true };

/** The join page's look: a link page for people without an account. */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const headers: HeadersFunction = ({ actionHeaders }) => ({
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Referrer-Policy': 'no-referrer',
  ...(actionHeaders.get('Retry-After') ? { 'Retry-After': actionHeaders.get('Retry-After') as string } : {}),
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data && 'productName' in data
        ? `Send a request to ${data.productName} · Refinery`
        : 'Send a request · Refinery',
  },
  { name: 'robots', content: 'noindex, nofollow' },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const link = await requestLinkByToken(context.app.db, params.token ?? '');
  if (!link) return data({ valid: false as const }, { status: 404 });
  const criteria = await currentCriteria(context.app.db, link.productId);
  return { valid: true as const, productName: link.productName, urgency: criteria?.urgency ?? null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const answer = await runLinkRequestForm(
    context.app,
    token,
    clientAddress(request),
    await request.formData(),
  );
  if (answer.followToken) return redirect(`/follow/${answer.followToken}?sent=1`);
  return data(answer.reply, {
    status: answer.status,
    headers: answer.retryAfter ? { 'Retry-After': String(answer.retryAfter) } : undefined,
  });
}

export default function AskByLink() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const id = useId();
  const [form, fields] = useForm<z.input<typeof linkRequestSchema>>({ lastResult: reply?.result });
  if (!page.valid)
    return (
      <section className="join-page card" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>This request link is not valid</h1>
        <p>It may have been withdrawn. Ask the product owner for a new one.</p>
      </section>
    );
  const busy = navigation.state !== 'idle';
  return (
    <section className="join-page card" aria-labelledby={`${id}-title`}>
      <p className="room-eyebrow">A request to the product owner</p>
      <h1 id={`${id}-title`}>Send a request to {page.productName}</h1>
      <p>
        No account is needed. After sending, you get a private link to follow your request: keep it to read
        the product owner’s answer.
      </p>
      <Form method="post" aria-label="Send a request" {...getFormProps(form)}>
        <FormAlert id={form.errorId} errors={form.errors} />
        <Field label="Your name" meta={fields.name} autoComplete="name" maxLength={100} />
        <Field label="Title" meta={fields.title} maxLength={200} />
        <TextareaField
          label="The problem"
          hint="What goes wrong today, for whom."
          meta={fields.problem}
          rows={3}
        />
        <Field label="Who has it" meta={fields.whoHasIt} />
        <Field label="Value you expect" meta={fields.expectedValue} />
        <Field label="Deadline (optional)" type="date" meta={fields.deadline} className="field narrow" />
        <div className="field">
          <label>
            <input type="checkbox" name={fields.urgent.name} value="on" /> Urgent
          </label>
          <p className="hint">
            {page.urgency ? `Urgent as agreed: ${page.urgency}` : 'Say why in the problem.'}
          </p>
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Sending…' : 'Send the request'}
        </button>
      </Form>
    </section>
  );
}
