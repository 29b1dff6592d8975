import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { FormAlert, FormField } from '~/components/form-field';
import { logInSchema, verifyCredentials } from '~/services/accounts.server';
import { clientAddress, getUser, startSession } from '~/services/auth.server';
import { parseForm } from '~/utils/forms';
import { orFormError } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Log in · Refinery' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect('/products');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(logInSchema, formData);
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null }, { status: 400 });
  const result = await orFormError(
    verifyCredentials(context.app.db, parsed.data.email, parsed.data.password, clientAddress(request)),
  );
  if ('formError' in result) {
    context.app.log.info({ event: 'login_failed', status: result.status });
    return data(
      { errors: {} as Record<string, string>, formError: result.formError },
      { status: result.status },
    );
  }
  context.app.log.info({ event: 'logged_in', userId: result.id });
  return startSession(request, context, result.id, formData.get('redirectTo'));
}

export default function LogIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const redirectTo = params.get('redirectTo') ?? '';
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormAlert message={actionData?.formError} />
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
          autoComplete="current-password"
          required
          error={actionData?.errors.password}
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
