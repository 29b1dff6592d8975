import {
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
  redirect,
} from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import type { z } from 'zod';
import { Field, FormAlert } from '~/components/forms';
import { signUp, signUpSchema } from '~/services/accounts.server';
import { clientAddress, getUser, startSession } from '~/services/auth.server';
import { signUpWait, signUpWaitMessage } from '~/services/signup-limit.server';
import { parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
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
  const submission = parseFormSubmission(formData, signUpSchema);
  const hideFields = ['password'];
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields }) }, { status: 400 });
  // Counted once the form is valid, that is for every attempt that would cost a password hash.
  const wait = await signUpWait(context.app, clientAddress(request));
  if (wait !== null) {
    return data(
      { result: refuseSubmission(submission, signUpWaitMessage(wait), { hideFields }) },
      { status: 429, headers: { 'Retry-After': String(wait) } },
    );
  }
  const result = await orFormError(signUp(context.app.db, submission.value));
  if ('formError' in result) {
    return data(
      { result: refuseSubmission(submission, result.formError, { field: result.field, hideFields }) },
      { status: result.status },
    );
  }
  context.app.log.info({ event: 'signed_up', userId: result.id });
  return startSession(request, context, result.id, formData.get('redirectTo'));
}

export default function SignUp() {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof signUpSchema>>({ lastResult: actionData?.result });
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const redirectTo = params.get('redirectTo') ?? '';
  return (
    <section className="card narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormAlert id={form.errorId} errors={form.errors} />
        <Field label="Name" meta={fields.displayName} autoComplete="name" required />
        <Field label="Email" meta={fields.email} type="email" autoComplete="email" required />
        <Field
          label="Password"
          hint="At least 10 characters. A few words you will remember work well."
          meta={fields.password}
          type="password"
          autoComplete="new-password"
          required
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
