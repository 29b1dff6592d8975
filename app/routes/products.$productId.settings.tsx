import { getFormProps, useForm } from '@conform-to/react';
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { z } from 'zod';
import { Field, FormAlert } from '~/components/forms';
import { PokerDecksSettings } from '~/components/session/poker-decks-settings';
import { debtShareIntent } from '~/domain/debt-share';
import type { ChecklistItem } from '~/domain/readiness';
import { type DefinitionKind, definitionNames } from '~/domain/readiness';
import { requireUser } from '~/services/auth.server';
import { debtShareSettings } from '~/services/backlog/debt-share.server';
import type { DebtShareFormReply, debtShareForm } from '~/services/backlog/debt-share-form.server';
import { runDebtShareForm } from '~/services/backlog/debt-share-form.server';
import { type DefinitionFormReply, runDefinitionForm } from '~/services/backlog/definition-form.server';
import { getDefinitions } from '~/services/backlog/definitions.server';
import { runDeckForm } from '~/services/sessions/deck-form.server';
import { isDeckIntent, listPokerDecks } from '~/services/sessions/poker-decks.server';
import { firstError } from '~/utils/form-submission';
import { orRespond } from '~/utils/route-errors.server';

export const meta: MetaFunction = () => [{ title: 'Settings · Refinery' }];

const blankRows = 3;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  return orRespond(
    (async () => ({
      ...(await getDefinitions(context.app.db, productId, user.id)),
      decks: await listPokerDecks(context.app.db, productId, user.id),
      debtShare: await debtShareSettings(context.app.db, productId, user.id),
    }))(),
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const productId = params.productId ?? '';
  const form = await request.formData();
  if (form.get('intent') === debtShareIntent) {
    const { reply, status } = await runDebtShareForm(context.app, productId, user.id, form);
    return data(reply, { status });
  }
  if (isDeckIntent(form.get('intent'))) {
    const { reply, status } = await runDeckForm(context.app, productId, user.id, form);
    return data(reply, { status });
  }
  const { reply, status } = await runDefinitionForm(context.app, productId, user.id, form);
  return data(reply, { status });
}

function ChecklistEditor({
  kind,
  items,
  result,
}: {
  kind: DefinitionKind;
  items: ChecklistItem[];
  result: DefinitionFormReply | undefined;
}) {
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('kind') === kind;
  const mine = result?.kind === kind ? result : undefined;
  const problem = firstError(mine?.result);
  const rows = [...(mine?.rows ?? items), ...Array.from({ length: blankRows }, () => ({ id: '', text: '' }))];
  const name = definitionNames[kind];
  return (
    <Form method="post" key={JSON.stringify(items)} aria-label={name}>
      <input type="hidden" name="kind" value={kind} />
      <FormAlert message={problem?.message} />
      {mine && !problem ? (
        <p className="alert alert-success" role="status">
          {mine.message}
        </p>
      ) : null}
      <p className="hint">
        Change a line’s wording and items keep their tick for it. Empty lines are left out; the last{' '}
        {blankRows} are for new lines.
      </p>
      <ol className="checklist-editor">
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional form fields; the index is their identity
          <li key={i} className="checklist-line">
            <input type="hidden" name={`lines[${i}].id`} value={row.id} />
            <label className="visually-hidden" htmlFor={`${kind}-text-${i}`}>
              {row.id ? `${name}, line ${i + 1}` : `${name}, new line`}
            </label>
            <input
              id={`${kind}-text-${i}`}
              type="text"
              name={`lines[${i}].text`}
              defaultValue={row.text}
              maxLength={200}
            />
            {row.id ? (
              <label className="remove-line">
                <input type="checkbox" name={`lines[${i}].remove`} /> Remove
                <span className="visually-hidden"> line {i + 1}</span>
              </label>
            ) : null}
          </li>
        ))}
      </ol>
      <div className="field">
        <label htmlFor={`${kind}-reason`}>Reason (optional, kept in the decision log)</label>
        <input id={`${kind}-reason`} name="reason" maxLength={1000} />
      </div>
      <button type="submit" className="button" disabled={saving}>
        {saving ? 'Saving…' : `Save the ${name}`}
      </button>
    </Form>
  );
}

/** The product's share of each sprint for technical debt: the product owner sets it, the others read it. */
function DebtShareSettings({
  share,
  mayEdit,
  reply,
}: {
  share: number | null;
  mayEdit: boolean;
  reply: DebtShareFormReply | undefined;
}) {
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === debtShareIntent;
  const [form, fields] = useForm<z.input<typeof debtShareForm>>({
    id: 'debt-share',
    lastResult: reply?.result,
    defaultValue: { share },
  });
  const saved = reply?.message && !firstError(reply.result) ? reply.message : null;
  return (
    <section aria-labelledby="debt-share-title" className="card">
      <h3 id="debt-share-title">Technical debt share</h3>
      <p className="muted">
        The part of each sprint kept for technical debt. Sprint planning shows the debt points planned against
        it; the metrics show the share delivered in each closed sprint.
      </p>
      {mayEdit ? (
        <Form method="post" aria-label="Technical debt share" {...getFormProps(form)} key={String(share)}>
          <input type="hidden" name="intent" value={debtShareIntent} />
          <FormAlert id={form.errorId} errors={form.errors} />
          {saved ? (
            <p className="alert alert-success" role="status">
              {saved}
            </p>
          ) : null}
          <Field
            label="Share of each sprint (%)"
            hint="A whole percent from 0 to 100; leave empty for no share."
            meta={fields.share}
            className="field narrow"
            inputMode="numeric"
          />
          <Field label="Reason (optional, kept in the decision log)" meta={fields.reason} maxLength={1000} />
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Saving…' : 'Save the share'}
          </button>
        </Form>
      ) : (
        <p>{share === null ? 'No share set.' : `${share} % of each sprint.`}</p>
      )}
    </section>
  );
}

function ChecklistView({ items }: { items: ChecklistItem[] }) {
  if (items.length === 0) return <p className="muted">Not set yet.</p>;
  return (
    <ol>
      {items.map((c) => (
        <li key={c.id}>{c.text}</li>
      ))}
    </ol>
  );
}

export default function Settings() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  // The deck forms are fetchers with answers of their own; this is the checklists' answer.
  const result = answer && 'kind' in answer ? (answer as DefinitionFormReply) : undefined;
  const debtReply =
    answer && 'form' in answer && answer.form === debtShareIntent
      ? (answer as DebtShareFormReply)
      : undefined;
  return (
    <section aria-labelledby="settings-title" className="stack">
      <h2 id="settings-title">Settings</h2>
      <div className="settings-grid">
        <section aria-labelledby="dor-title" className="card">
          <h3 id="dor-title">Definition of Ready</h3>
          <p className="muted">
            An item is ready for sprint planning only when every line is checked and nothing blocks it. The
            product owner keeps this list.
          </p>
          {page.mayEdit.ready ? (
            <ChecklistEditor kind="ready" items={page.ready} result={result} />
          ) : (
            <ChecklistView items={page.ready} />
          )}
        </section>
        <section aria-labelledby="dod-title" className="card">
          <h3 id="dod-title">Definition of Done</h3>
          <p className="muted">
            Applied at the sprint review to every story. The team and the product owner keep this list.
          </p>
          {page.mayEdit.done ? (
            <ChecklistEditor kind="done" items={page.done} result={result} />
          ) : (
            <ChecklistView items={page.done} />
          )}
        </section>
        <DebtShareSettings share={page.debtShare.share} mayEdit={page.debtShare.mayEdit} reply={debtReply} />
        <PokerDecksSettings decks={page.decks} />
      </div>
    </section>
  );
}
