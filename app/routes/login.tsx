import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
  redirect,
} from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import type { z } from 'zod';
import { Field, FormAlert } from '~/components/forms';
import { logInSchema, verifyCredentials } from '~/services/accounts.server';
import { clientAddress, getUser, startSession } from '~/services/auth.server';
import { parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { orFormError } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Log in · Refinery' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect('/products');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseFormSubmission(formData, logInSchema);
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  const { email, password } = submission.value;
  const result = await orFormError(
    verifyCredentials(context.app.db, email, password, clientAddress(request)),
  );
  if ('formError' in result) {
    context.app.log.info({ event: 'login_failed', status: result.status });
    return data(
      { result: refuseSubmission(submission, result.formError, { hideFields: ['password'] }) },
      { status: result.status },
    );
  }
  context.app.log.info({ event: 'logged_in', userId: result.id });
  return startSession(request, context, result.id, formData.get('redirectTo'));
}

export default function LogIn() {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof logInSchema>>({ lastResult: actionData?.result });
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const redirectTo = params.get('redirectTo') ?? '';
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormAlert id={form.errorId} errors={form.errors} />
        <Field label="Email" meta={fields.email} type="email" autoComplete="email" required />
        <Field
          label="Password"
          meta={fields.password}
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </Form>
      <p className="muted">
        New here?{' '}
        <Link to={`/signup${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`}>
          Create an account
        </Link>
      </p>
    </section>
  );
}
