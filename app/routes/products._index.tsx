import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
  redirect,
} from '@remix-run/node';
import { getFormProps, useForm } from '@conform-to/react';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { z } from 'zod';
import { FocusLink } from '~/components/focus-link';
import { Field } from '~/components/forms';
import { roleLabels } from '~/domain/roles';
import { createProduct, listProducts, productInputSchema } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import { parseFormSubmission } from '~/utils/form-submission';

export const meta: MetaFunction = () => [{ title: 'Your products · Refinery' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { products: await listProducts(context.app.db, user.id), name: user.displayName };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseFormSubmission(await request.formData(), productInputSchema);
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const product = await createProduct(context.app.db, user.id, submission.value);
  context.app.log.info({ event: 'product_created', productId: product.id, userId: user.id });
  return redirect(`/products/${product.id}`);
}

export default function Products() {
  const { products, name } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof productInputSchema>>({ lastResult: actionData?.result });
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="stack">
      <h1>Your products</h1>
      {products.length === 0 ? (
        <section className="first-run card" aria-labelledby="welcome-title">
          <h2 id="welcome-title">Welcome, {name}. Start with a product</h2>
          <p>
            A product holds one ordered backlog, the people who work on it and the meetings about it. Create
            one and you become its product owner. If a product owner invited you, open the invite link they
            sent instead.
          </p>
          <ol className="steps">
            <li>Create a product below.</li>
            <li>Write its first backlog items, or import a CSV or Jira export.</li>
            <li>Invite the team and stakeholders, and plan your first refinement workshop.</li>
          </ol>
          <p className="actions">
            <FocusLink target="new-product" className="button">
              Create your first product
            </FocusLink>
          </p>
        </section>
      ) : (
        <ul className="card-list" aria-label="Products">
          {products.map((p) => (
            <li key={p.id} className="card product-card">
              <h2>
                <Link to={`/products/${p.id}`}>{p.name}</Link>
              </h2>
              {p.description ? <p>{p.description}</p> : null}
              <p className="badge">{roleLabels[p.role]}</p>
            </li>
          ))}
        </ul>
      )}
      <section className="card" id="new-product" aria-labelledby="new-product-title">
        <h2 id="new-product-title">Create a product</h2>
        <Form method="post" {...getFormProps(form)}>
          <Field label="Product name" meta={fields.name} required />
          <Field label="Description (optional)" meta={fields.description} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create product'}
          </button>
        </Form>
      </section>
    </div>
  );
}
