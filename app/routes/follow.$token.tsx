import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useId } from 'react';
import type { HeaderHandle } from '~/components/app-header';
import { RequestAnswerForm } from '~/components/requests/answer-form';
import { requestStateLabels } from '~/domain/requests';
import { clientAddress } from '~/services/auth.server';
import { runFollowAnswerForm } from '~/services/requests/request-forms.server';
import { followRequest } from '~/services/requests/requests.server';
import stylesHref from '~/styles/prioritisation.css?url';
import { messagesByField } from '~/utils/form-submission';

/* A link user's private follow page: the request's state, the product owner's answer, and the question to answer. */

export const handle: HeaderHandle = { guestPage: true };

/** The join page's look: a link page for people without an account. */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const headers: HeadersFunction = ({ actionHeaders }) => ({
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Referrer-Policy': 'no-referrer',
  ...(actionHeaders.get('Retry-After') ? { 'Retry-After': actionHeaders.get('Retry-After') as string } : {}),
});

export const meta: MetaFunction = () => [
  { title: 'Your request · Refinery' },
  { name: 'robots', content: 'noindex, nofollow' },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const request = await followRequest(context.app.db, params.token ?? '');
  if (!request) return data({ found: false as const }, { status: 404 });
  const { requesterId: _requester, itemId: _item, productId: _product, ...shown } = request;
  return { found: true as const, request: shown };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const answer = await runFollowAnswerForm(
    context.app,
    params.token ?? '',
    clientAddress(request),
    await request.formData(),
  );
  return data(answer.reply, {
    status: answer.status,
    headers: answer.retryAfter ? { 'Retry-After': String(answer.retryAfter) } : undefined,
  });
}

export default function FollowRequest() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [search] = useSearchParams();
  const id = useId();
  if (!page.found)
    return (
      <section className="join-page card" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>This follow link is not valid</h1>
        <p>Check that you copied the whole link.</p>
      </section>
    );
  const r = page.request;
  const error = reply ? messagesByField(reply.result).answer : undefined;
  const formError = reply ? messagesByField(reply.result)[''] : undefined;
  return (
    <section className="join-page card stack" aria-labelledby={`${id}-title`}>
      <p className="room-eyebrow">Your request to {r.productName}</p>
      <h1 id={`${id}-title`}>{r.title}</h1>
      {search.get('sent') ? (
        <p className="alert alert-success" role="status">
          Sent. Keep this page’s address: it is your private link to follow the request.
        </p>
      ) : null}
      {reply?.message ? (
        <p className="alert alert-success" role="status">
          {reply.message}
        </p>
      ) : null}
      <p>
        State: <strong data-testid="request-state">{requestStateLabels[r.state]}</strong>
      </p>
      {r.state === 'declined' ? (
        <p>
          Reason: <span className="decision-reason">{r.answer}</span>
        </p>
      ) : null}
      {(r.state === 'accepted' || r.state === 'merged') && r.answer ? <p>Note: {r.answer}</p> : null}
      <dl className="request-details">
        <dt>Problem</dt>
        <dd>{r.problem}</dd>
      </dl>
      {r.messages.length > 0 ? (
        <ol className="request-thread" aria-label="Questions and answers">
          {r.messages.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a thread only grows, in order
            <li key={i}>
              <strong>{m.author === 'po' ? 'The product owner asks' : 'You answered'}:</strong> {m.body}
            </li>
          ))}
        </ol>
      ) : null}
      {r.state === 'needs_info' ? <RequestAnswerForm error={error} formError={formError} rows={3} /> : null}
    </section>
  );
}
