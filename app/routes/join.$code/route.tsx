import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import type { HeaderHandle } from '~/components/app-header';
import { getFormProps, useForm } from '@conform-to/react';
import { useId } from 'react';
import type { z } from 'zod';
import { Field, FormAlert } from '~/components/forms';
import type { guestJoinSchema } from '~/services/sessions/guests.server';
import type { FormReply } from '~/utils/form-submission';
import stylesHref from '~/styles/prioritisation.css?url';
import { joinByForm, loadJoinPage } from './join.server';

/** Guests have no account here: the header offers no log in or sign up (see AppHeader). */
export const handle: HeaderHandle = { guestPage: true };

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

/** A join link is for the people it was given to: never indexed, never cached. */
export const headers: HeadersFunction = ({ actionHeaders }) => ({
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  // The guest-join limit's wait, which a page answer would otherwise drop.
  ...(actionHeaders.get('Retry-After') ? { 'Retry-After': actionHeaders.get('Retry-After') as string } : {}),
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ? `Join “${data.title}” · Refinery` : 'Join a session · Refinery' },
  { name: 'robots', content: 'noindex, nofollow' },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return loadJoinPage(context, request, params.code ?? '');
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return joinByForm(context, request, params.code ?? '');
}

const closedPages = {
  invalid: {
    heading: 'This link is not valid',
    text: 'Check that you copied the whole link, or ask the person who sent it for a new one.',
  },
  ended: {
    heading: 'This session has ended',
    text: 'Nobody can join it any more. The product owner can share its results with you.',
  },
  closed: {
    heading: 'This session is closed to guests',
    text: 'The facilitator has closed the guest link. Ask them to reopen it if you should take part.',
  },
} as const;

export default function JoinSession() {
  const page = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const id = useId();
  const code = useParams().code ?? '';
  const busy = navigation.state !== 'idle';
  if (page.state === 'member') {
    return (
      <section className="join-page card" aria-labelledby={`${id}-title`}>
        <p className="room-eyebrow">You are invited to a session</p>
        <h1 id={`${id}-title`}>Join “{page.title}”</h1>
        <p>
          You are signed in as {page.signedInName}, a member of this product, so you join with your account
          and go to the room.
        </p>
        <Form method="post" className="join-form">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Joining…' : 'Join the session'}
          </button>
        </Form>
      </section>
    );
  }
  if (page.state !== 'open') {
    const text = closedPages[page.state];
    return (
      <section className="join-page card" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>{text.heading}</h1>
        {page.title ? <p className="muted">Session: “{page.title}”</p> : null}
        <p>{text.text}</p>
      </section>
    );
  }
  return (
    <section className="join-page card" aria-labelledby={`${id}-title`}>
      <p className="room-eyebrow">You are invited to a session</p>
      <h1 id={`${id}-title`}>Join “{page.title}”</h1>
      <p>{page.intro} No account is needed: give the name the others will see.</p>
      {page.signedInName ? (
        <p className="hint">
          You are signed in as {page.signedInName} but not a member of this product, so you join as a guest.
        </p>
      ) : null}
      <GuestJoinForm result={failure?.result} busy={busy} />
      <p className="hint">
        Your place in the session is kept in this browser for 12 hours (a cookie used only for this session).
      </p>
      {page.signedInName ? null : (
        <p className="hint">
          A member of this product?{' '}
          <Link to={`/login?redirectTo=${encodeURIComponent(`/join/${code}`)}`}>Log in</Link> to join with
          your account instead.
        </p>
      )}
    </section>
  );
}

/** The guest's one field, their name, with the reason beside it when the join was refused. */
function GuestJoinForm({ result, busy }: { result: FormReply | undefined; busy: boolean }) {
  const [form, fields] = useForm<z.input<typeof guestJoinSchema>>({ lastResult: result });
  return (
    <Form method="post" className="join-form" {...getFormProps(form)}>
      <FormAlert id={form.errorId} errors={form.errors} />
      <Field
        label="Your name"
        hint="Up to 60 characters, e.g. “Ana (clinic lead)”."
        meta={fields.displayName}
        autoComplete="name"
        maxLength={60}
        required
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Joining…' : 'Join the session'}
      </button>
    </Form>
  );
}
