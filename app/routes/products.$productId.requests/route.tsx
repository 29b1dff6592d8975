import { getFormProps, useForm } from '@conform-to/react';
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useId } from 'react';
import type { z } from 'zod';
import { ErrorList, Field, FormAlert, SelectField, TextareaField } from '~/components/forms';
import { RequestAnswerForm } from '~/components/requests/answer-form';
import { criteriaLabel, requestStateLabels, requestStates } from '~/domain/requests';
import { requireUser } from '~/services/auth.server';
import type { RequestFormReply } from '~/services/requests/request-forms.server';
import type { sendRequestSchema } from '~/services/requests/requests.server';
import stylesHref from '~/styles/backlog-tools.css?url';
import { messagesByField } from '~/utils/form-submission';
import { loadRequestsPage, requestsAction } from './requests-page.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta: MetaFunction = () => [{ title: 'Requests · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return loadRequestsPage(context, params.productId ?? '', user.id, new URL(request.url));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return requestsAction(context, params.productId ?? '', user.id, await request.formData());
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;
type RequestRow = Page['requests'][number];

const day = (iso: string | Date) =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export default function Requests() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as RequestFormReply | undefined;
  const seesInbox = page.role !== 'stakeholder';
  return (
    <section aria-labelledby="requests-title" className="stack">
      <div className="section-heading">
        <h2 id="requests-title">Requests</h2>
        <p className="muted">
          {page.mayTriage
            ? 'Your inbox: accept a request into the backlog, merge it into an item, ask for more, or decline it with a reason.'
            : seesInbox
              ? 'The product owner’s inbox, to read: the product owner decides and documents each request.'
              : 'Send the product owner a request and follow what happens to it.'}{' '}
          Triage applies <Link to="../criteria">{criteriaLabel(page.criteria?.version)}</Link>.
        </p>
      </div>
      {reply?.message && reply.result.status !== 'error' ? (
        <p className="alert alert-success" role="status">
          {reply.message}
        </p>
      ) : null}
      <SendRequestForm
        reply={reply?.intent === 'send' ? reply : undefined}
        aroundPo={page.mayRecordAroundPo}
        urgency={page.criteria?.urgency ?? null}
      />
      <nav aria-label="Requests by state" className="filters">
        <Link to="." aria-current={page.state === null ? 'page' : undefined}>
          All ({requestStates.reduce((n, s) => n + page.counts[s], 0)})
        </Link>
        {requestStates.map((s) => (
          <Link key={s} to={`?state=${s}`} aria-current={page.state === s ? 'page' : undefined}>
            {requestStateLabels[s]} ({page.counts[s]})
          </Link>
        ))}
      </nav>
      <section aria-labelledby="request-list-title" className="stack">
        <h3 id="request-list-title">{seesInbox ? 'Inbox' : 'My requests'}</h3>
        {page.requests.length === 0 ? (
          <p className="muted">
            {page.state
              ? 'No requests in this state.'
              : seesInbox
                ? 'No requests yet.'
                : 'You have sent no requests yet.'}
          </p>
        ) : (
          <ul
            className="card-list"
            aria-label={seesInbox ? 'Requests, newest first' : 'My requests, newest first'}
          >
            {page.requests.map((r) => (
              <RequestCard
                key={r.id}
                request={r}
                page={page}
                reply={reply?.requestId === r.id ? reply : undefined}
              />
            ))}
          </ul>
        )}
      </section>
      {page.mayTriage ? <RequestLinks links={page.links} reply={reply} /> : null}
    </section>
  );
}

function SendRequestForm({
  reply,
  aroundPo,
  urgency,
}: {
  reply: RequestFormReply | undefined;
  aroundPo: boolean;
  urgency: string | null;
}) {
  const navigation = useNavigation();
  const sending = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'send';
  const [form, fields] = useForm<z.input<typeof sendRequestSchema>>({
    id: 'send-request',
    lastResult: reply?.result,
  });
  return (
    <details className="card" open={reply?.result.status === 'error' || undefined}>
      <summary>Send a request</summary>
      <Form method="post" aria-label="Send a request" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="send" />
        <FormAlert id={form.errorId} errors={form.errors} />
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
            {urgency ? `Urgent as agreed: ${urgency}` : 'No agreed definition of urgent yet.'}
          </p>
        </div>
        {aroundPo ? (
          <>
            <SelectField label="How it reached us" meta={fields.channel}>
              <option value="direct">Directly (my own request)</option>
              <option value="around_po">It reached the team around the product owner</option>
            </SelectField>
            <Field
              label="Brought by (for a request that reached the team)"
              meta={fields.broughtBy}
              maxLength={200}
            />
          </>
        ) : null}
        <button type="submit" className="button" disabled={sending}>
          {sending ? 'Sending…' : 'Send the request'}
        </button>
      </Form>
    </details>
  );
}

function RequestCard({
  request: r,
  page,
  reply,
}: {
  request: RequestRow;
  page: Page;
  reply: RequestFormReply | undefined;
}) {
  const id = useId();
  const open = r.state === 'new' || r.state === 'needs_info';
  const mine = r.requesterId === page.userId && !r.viaLink && r.channel === 'direct';
  return (
    <li className="card" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{r.title}</h4>
      <p>
        <span className="badge">{requestStateLabels[r.state]}</span>{' '}
        {r.urgent ? <span className="badge badge-warn">Urgent</span> : null}{' '}
        <span className="muted">
          From {r.requesterName}
          {r.viaLink ? ' (by the request link)' : ''}
          {r.channel === 'around_po' ? ' · reached the team around the product owner' : ''} ·{' '}
          {day(r.createdAt)}
          {r.deadline ? ` · deadline ${r.deadline}` : ''}
          {r.criteriaVersion ? ` · ${criteriaLabel(r.criteriaVersion)}` : ''}
        </span>
      </p>
      <dl className="request-details">
        <dt>Problem</dt>
        <dd>{r.problem}</dd>
        {r.whoHasIt ? (
          <>
            <dt>Who has it</dt>
            <dd>{r.whoHasIt}</dd>
          </>
        ) : null}
        {r.expectedValue ? (
          <>
            <dt>Value expected</dt>
            <dd>{r.expectedValue}</dd>
          </>
        ) : null}
        {r.state === 'declined' ? (
          <>
            <dt>Reason</dt>
            <dd className="decision-reason">{r.answer}</dd>
          </>
        ) : null}
        {(r.state === 'accepted' || r.state === 'merged') && r.itemId ? (
          <>
            <dt>Backlog item</dt>
            <dd>
              <Link to={`../items/${r.itemId}`}>Open the item</Link>
              {r.answer ? ` · ${r.answer}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {r.messages.length > 0 ? (
        <ol className="request-thread" aria-label="Questions and answers">
          {r.messages.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a thread only grows, in order
            <li key={i}>
              <strong>{m.author === 'po' ? 'Product owner asked' : 'Answer'}:</strong> {m.body}
            </li>
          ))}
        </ol>
      ) : null}
      {page.mayTriage &&
      page.runningSprint &&
      r.urgent &&
      r.state !== 'declined' &&
      !(r.itemId && page.runningSprint.itemIds.includes(r.itemId)) ? (
        <p>
          <Link className="button button-secondary" to={`${r.id}/urgent`}>
            Bring into the sprint…
          </Link>{' '}
          <span className="muted">See what it displaces in {page.runningSprint.name} before you decide.</span>
        </p>
      ) : null}
      {page.mayTriage && open ? <TriageForms request={r} items={page.items} reply={reply} /> : null}
      {mine && r.state === 'needs_info' ? <AnswerForm requestId={r.id} reply={reply} /> : null}
    </li>
  );
}

function TriageHidden({ requestId, action }: { requestId: string; action: string }) {
  return (
    <>
      <input type="hidden" name="intent" value="triage" />
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="action" value={action} />
    </>
  );
}

function TriageForms({
  request: r,
  items,
  reply,
}: {
  request: RequestRow;
  items: Page['items'];
  reply: RequestFormReply | undefined;
}) {
  const id = useId();
  const errors = reply?.intent === 'triage' ? messagesByField(reply.result) : {};
  const err = (field: string) => (errors[field] ? [errors[field]] : undefined);
  return (
    <details className="triage" open={reply?.result.status === 'error' || undefined}>
      <summary>Triage “{r.title}”</summary>
      <FormAlert errors={err('') ?? err('action') ?? err('requestId')} />
      <div className="triage-forms">
        <Form method="post" aria-label={`Accept “${r.title}”`}>
          <TriageHidden requestId={r.id} action="accept" />
          <fieldset>
            <legend>Accept into the backlog</legend>
            <div className="field">
              <label htmlFor={`${id}-position`}>Place it</label>
              <select id={`${id}-position`} name="position" defaultValue="top">
                <option value="top">At the top</option>
                <option value="bottom">At the bottom</option>
                <option value="after">After the item chosen below</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-after`}>After item</label>
              <select
                id={`${id}-after`}
                name="afterItemId"
                defaultValue=""
                aria-invalid={err('afterItemId') ? true : undefined}
                aria-describedby={err('afterItemId') ? `${id}-after-error` : undefined}
              >
                <option value="">(only for “after”)</option>
                {items.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.title}
                  </option>
                ))}
              </select>
              <ErrorList id={`${id}-after-error`} errors={err('afterItemId') ?? err('position')} />
            </div>
            <button type="submit" className="button">
              Accept
            </button>
          </fieldset>
        </Form>
        <Form method="post" aria-label={`Merge “${r.title}”`}>
          <TriageHidden requestId={r.id} action="merge" />
          <fieldset>
            <legend>Merge into an existing item</legend>
            <div className="field">
              <label htmlFor={`${id}-merge`}>Item</label>
              <select
                id={`${id}-merge`}
                name="itemId"
                defaultValue=""
                aria-invalid={err('itemId') ? true : undefined}
                aria-describedby={err('itemId') ? `${id}-merge-error` : undefined}
              >
                <option value="">Choose an item</option>
                {items.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.title}
                  </option>
                ))}
              </select>
              <ErrorList id={`${id}-merge-error`} errors={err('itemId')} />
            </div>
            <button type="submit" className="button button-secondary">
              Merge
            </button>
          </fieldset>
        </Form>
        <Form method="post" aria-label={`Ask for more about “${r.title}”`}>
          <TriageHidden requestId={r.id} action="ask" />
          <fieldset>
            <legend>Ask for more</legend>
            <div className="field">
              <label htmlFor={`${id}-question`}>Question</label>
              <textarea
                id={`${id}-question`}
                name="question"
                rows={2}
                maxLength={2000}
                aria-invalid={err('question') ? true : undefined}
                aria-describedby={err('question') ? `${id}-question-error` : undefined}
              />
              <ErrorList id={`${id}-question-error`} errors={err('question')} />
            </div>
            <button type="submit" className="button button-secondary">
              Ask
            </button>
          </fieldset>
        </Form>
        <Form method="post" aria-label={`Decline “${r.title}”`}>
          <TriageHidden requestId={r.id} action="decline" />
          <fieldset>
            <legend>Decline</legend>
            <div className="field">
              <label htmlFor={`${id}-reason`}>Reason (the requester reads it)</label>
              <textarea
                id={`${id}-reason`}
                name="reason"
                rows={2}
                maxLength={2000}
                aria-invalid={err('reason') ? true : undefined}
                aria-describedby={err('reason') ? `${id}-reason-error` : undefined}
              />
              <ErrorList id={`${id}-reason-error`} errors={err('reason')} />
            </div>
            <button type="submit" className="button button-danger">
              Decline
            </button>
          </fieldset>
        </Form>
      </div>
    </details>
  );
}

function AnswerForm({ requestId, reply }: { requestId: string; reply: RequestFormReply | undefined }) {
  const error = reply?.intent === 'answer' ? messagesByField(reply.result).answer : undefined;
  return (
    <RequestAnswerForm error={error} rows={2}>
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="requestId" value={requestId} />
    </RequestAnswerForm>
  );
}

function RequestLinks({ links, reply }: { links: Page['links']; reply: RequestFormReply | undefined }) {
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  return (
    <section aria-labelledby="request-links-title" className="card">
      <h3 id="request-links-title">Request links</h3>
      <p className="muted">
        Anyone with a request link can send a request without an account, and follow it by the link they get.
        Withdraw a link to stop it.
      </p>
      {reply?.intent === 'create-link' && reply.linkToken ? (
        <p className="alert alert-success" role="status">
          New request link (shown once):{' '}
          <code data-testid="request-link">{`${origin}/ask/${reply.linkToken}`}</code>
        </p>
      ) : null}
      {links.length === 0 ? (
        <p className="muted">No open request links.</p>
      ) : (
        <ul aria-label="Open request links">
          {links.map((l) => (
            <li key={l.id}>
              Created {day(l.createdAt)}{' '}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="revoke-link" />
                <input type="hidden" name="linkId" value={l.id} />
                <button type="submit" className="button-link">
                  Withdraw
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <Form method="post">
        <input type="hidden" name="intent" value="create-link" />
        <button type="submit" className="button button-secondary">
          Create a request link
        </button>
      </Form>
    </section>
  );
}
