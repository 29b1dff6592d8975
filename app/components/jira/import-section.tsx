import { getFormProps, useForm } from '@conform-to/react';
import { Form, useNavigation } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { ErrorList, Field, FormAlert, TextareaField } from '~/components/forms';
import type { ImportFields, JiraReply } from '~/routes/products.$productId.jira/jira-page.server';
import { type ConnectedStatusView, isActive } from './types';

/**
 * "Import issues": by a JQL query or by a board's number. The import runs in the background (its progress is on
 * the status panel); a refusal (an import already running, a query Jira refuses) is said beside the field.
 */
export function ImportSection({
  status,
  reply,
}: {
  status: ConnectedStatusView;
  reply: JiraReply | undefined;
}) {
  const mine = reply?.intent === 'import' ? reply : undefined;
  const scope = status.scope;
  const [form, fields] = useForm<ImportFields>({
    id: 'jira-import',
    lastResult: mine?.result,
    defaultValue: scope
      ? 'boardId' in scope
        ? { by: 'board', boardId: String(scope.boardId) }
        : { by: 'jql', jql: scope.jql }
      : { by: 'jql' },
  });
  const navigation = useNavigation();
  const sending = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'import';
  const running = status.jobs.some((job) => job.kind === 'import' && isActive(job.state));
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const startBy = fields.by.initialValue === 'board' ? 'board' : 'jql';
  const by = fields.by.value === 'board' ? 'board' : fields.by.value ? 'jql' : startBy;
  const byError = fields.by.errors?.length ? `${form.id}-by-error` : undefined;
  return (
    <section className="card" aria-labelledby="jira-import-title">
      <h3 id="jira-import-title">Import issues</h3>
      <p className="muted">
        Issues become backlog items in Jira’s rank order, linked to their issue. Issues already imported are
        updated, never added twice. The sync then follows the same issues.
      </p>
      <Form method="post" className="tool-form" {...getFormProps(form)} aria-labelledby="jira-import-title">
        <input type="hidden" name="intent" value="import" />
        <FormAlert id={form.errorId} errors={form.errors} />
        <fieldset className="field radio-group" aria-describedby={byError}>
          <legend>Which issues</legend>
          <label>
            <input type="radio" name={fields.by.name} value="jql" defaultChecked={startBy === 'jql'} /> By JQL
          </label>
          <label>
            <input type="radio" name={fields.by.name} value="board" defaultChecked={startBy === 'board'} /> By
            board
          </label>
          <ErrorList id={byError} errors={fields.by.errors} />
        </fieldset>
        {!hydrated || by === 'jql' ? (
          <TextareaField
            label="JQL query"
            hint={
              hydrated
                ? 'The issues a Jira search finds, e.g. project = ABC AND type in (Story, Bug)'
                : 'With “By JQL”: the issues a Jira search finds, e.g. project = ABC'
            }
            meta={fields.jql}
            rows={3}
            spellCheck={false}
            maxLength={2000}
          />
        ) : null}
        {!hydrated || by === 'board' ? (
          <Field
            label="Board number"
            hint={
              hydrated
                ? 'The number in the board’s address, e.g. 7 in …/jira/software/projects/ABC/boards/7'
                : 'With “By board”: the number in the board’s address, e.g. 7 in …/boards/7'
            }
            meta={fields.boardId}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
          />
        ) : null}
        <div className="actions">
          <button type="submit" className="button" disabled={sending}>
            {sending ? 'Starting…' : 'Import'}
          </button>
        </div>
        {running && !mine ? (
          <p className="hint">An import is running; its progress is in the sync status above.</p>
        ) : null}
        <div aria-live="polite">
          {mine?.message && mine.result.status === 'success' ? (
            <p className="alert alert-success">{mine.message}</p>
          ) : null}
        </div>
      </Form>
    </section>
  );
}
