import {
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { FormAlert, FormField } from '~/components/form-field';
import { signUp, signUpSchema } from '~/services/accounts.server';
import { clientAddress, getUser, startSession } from '~/services/auth.server';
import { signUpWait, signUpWaitMessage } from '~/services/signup-limit.server';
import { parseForm } from '~/utils/forms';
import { orFormError } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Sign up · Refinery' }];

/** A page answer only carries the headers this returns: pass on the action's Retry-After (sign-up limit). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect('/products');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(signUpSchema, formData);
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null }, { status: 400 });
  // Counted once the form is valid, that is for every attempt that would cost a password hash.
  const wait = await signUpWait(context.app, clientAddress(request));
  if (wait !== null) {
    return data(
      { errors: {} as Record<string, string>, formError: signUpWaitMessage(wait) },
      { status: 429, headers: { 'Retry-After': String(wait) } },
    );
  }
  const result = await orFormError(signUp(context.app.db, parsed.data));
  if ('formError' in result) {
    return data(
      {
        errors: result.field ? { [result.field]: result.formError } : {},
        formError: result.field ? null : result.formError,
      },
      { status: result.status },
    );
  }
  context.app.log.info({ event: 'signed_up', userId: result.id });
  return startSession(request, context, result.id, formData.get('redirectTo'));
}

export default function SignUp() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const redirectTo = params.get('redirectTo') ?? '';
  return (
    <section className="card narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormAlert message={actionData?.formError} />
        <FormField
          label="Name"
          name="displayName"
          autoComplete="name"
          required
          error={actionData?.errors.displayName}
        />
        <FormField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={actionData?.errors.email}
        />
        <FormField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters. A few words you will remember work well."
          error={actionData?.errors.password}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </Form>
      <p className="muted">
        Already have an account?{' '}
        <Link to={`/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`}>Log in</Link>
      </p>
    </section>
  );
}
