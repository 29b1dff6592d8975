import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { Form, useNavigation } from '@remix-run/react';
import { ErrorList, Field, FormAlert } from '~/components/forms';
import type { FieldMap } from '~/domain/tracker';
import type {
  FieldMapPreview,
  JiraReply,
  SettingsFields,
} from '~/routes/products.$productId.jira/jira-page.server';
import type { ConnectedStatusView, JiraPageView } from './types';

type MappedField = 'storyPoints' | 'criteria' | 'epicLink' | 'rank';

const fieldLabels: Record<MappedField, string> = {
  storyPoints: 'Story points',
  criteria: 'Acceptance criteria',
  epicLink: 'Epic link',
  rank: 'Rank',
};

type Candidates = FieldMapPreview['candidates'];

/** "Story Points (customfield_10016)" when the preview named it, else the id. */
function fieldName(id: string, candidates: Candidates) {
  for (const list of Object.values(candidates)) {
    const found = list.find((c) => c.id === id);
    if (found) return `${found.name} (${id})`;
  }
  return id;
}

function criteriaText(criteria: FieldMap['criteria'], candidates: Candidates) {
  if (criteria.kind === 'field') return `The field ${fieldName(criteria.fieldId, candidates)}`;
  if (criteria.kind === 'description-section')
    return `The description’s section headed “${criteria.heading}”`;
  return 'Not synced';
}

/** The field map as a list: where each of the product's fields lives in Jira. */
function FieldMapFacts({ map, candidates }: { map: FieldMap | null; candidates: Candidates }) {
  if (!map) return <p className="muted">No field map yet: “Detect again” reads it from Jira.</p>;
  const field = (id: string | null) => (id ? fieldName(id, candidates) : 'Not mapped');
  return (
    <dl className="facts">
      <dt>{fieldLabels.storyPoints}</dt>
      <dd>{field(map.storyPoints)}</dd>
      <dt>{fieldLabels.criteria}</dt>
      <dd>{criteriaText(map.criteria, candidates)}</dd>
      <dt>{fieldLabels.epicLink}</dt>
      <dd>{field(map.epicLink)}</dd>
      <dt>{fieldLabels.rank}</dt>
      <dd>{field(map.rank)}</dd>
    </dl>
  );
}

/**
 * The field map (where story points, acceptance criteria, the epic link and the rank live in Jira) and what a
 * review's decision does in Jira (the status to move to, a comment with the reason). The product owner can detect
 * the map again (a preview listing the site's candidate fields) and change both; the others see them.
 */
export function FieldMapSection({ page, reply }: { page: JiraPageView; reply: JiraReply | undefined }) {
  const status = page.status as ConnectedStatusView;
  const detected = reply?.intent === 'detect' ? reply : undefined;
  const preview = detected?.preview;
  const candidates = preview?.candidates ?? {};
  const navigation = useNavigation();
  const detecting = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'detect';
  const detectProblem = detected?.result.error?.['']?.[0];
  return (
    <section className="card" aria-labelledby="jira-fields-title">
      <div className="section-heading">
        <h3 id="jira-fields-title">Fields and review decisions</h3>
        {page.mayManage ? (
          <Form method="post">
            <input type="hidden" name="intent" value="detect" />
            <button type="submit" className="button button-secondary button-small" disabled={detecting}>
              {detecting ? 'Reading Jira’s fields…' : 'Detect again'}
            </button>
          </Form>
        ) : null}
      </div>
      <FormAlert message={detectProblem} />
      <h4>Field map in use</h4>
      <FieldMapFacts map={status.fieldMap} candidates={candidates} />
      <div aria-live="polite">{preview ? <Preview preview={preview} /> : null}</div>
      {page.mayManage ? (
        <SettingsForm
          // The detected map fills the form afresh; saving it is still the product owner's step.
          key={preview ? 'detected' : 'saved'}
          status={status}
          map={preview?.map ?? status.fieldMap}
          candidates={candidates}
          reply={reply?.intent === 'settings' ? reply : undefined}
        />
      ) : (
        <>
          <h4>Review decisions in Jira</h4>
          <dl className="facts">
            <dt>Accepted</dt>
            <dd>
              {status.statusMap.accepted ? `Moves to “${status.statusMap.accepted}”` : 'Status left alone'}
            </dd>
            <dt>Rejected</dt>
            <dd>
              {status.statusMap.rejected ? `Moves to “${status.statusMap.rejected}”` : 'Status left alone'}
            </dd>
            <dt>Comment</dt>
            <dd>{status.commentDecisions ? 'Each decision, with its reason' : 'None'}</dd>
          </dl>
        </>
      )}
    </section>
  );
}

/** What "Detect again" found: the map Jira's fields suggest and, per field, the site's fields that could be it. */
function Preview({ preview }: { preview: FieldMapPreview }) {
  const entries = Object.entries(preview.candidates).filter(([, list]) => list.length > 0);
  return (
    <div className="alert" role="status">
      <p>
        <strong>Detected from Jira’s fields.</strong>{' '}
        {preview.map ? 'The form below is filled in with it: check it, then save to use it.' : null}
      </p>
      {preview.map ? <FieldMapFacts map={preview.map} candidates={preview.candidates} /> : null}
      {entries.length > 0 ? (
        <>
          <p>Fields that could hold each one:</p>
          <ul>
            {entries.map(([field, list]) => (
              <li key={field}>
                {fieldLabels[field as MappedField] ?? field}:{' '}
                {list.map((c, i) => (
                  <span key={c.id}>
                    {i > 0 ? ', ' : null}
                    {c.name} <code>{c.id}</code>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">Jira named no other candidate fields.</p>
      )}
    </div>
  );
}

function SettingsForm({
  status,
  map,
  candidates,
  reply,
}: {
  status: ConnectedStatusView;
  map: FieldMap | null;
  candidates: Candidates;
  reply: JiraReply | undefined;
}) {
  const [form, fields] = useForm<SettingsFields>({
    id: 'jira-settings',
    lastResult: reply?.result,
    defaultValue: {
      storyPoints: map?.storyPoints ?? '',
      criteriaKind: map?.criteria.kind ?? 'none',
      criteriaField: map?.criteria.kind === 'field' ? map.criteria.fieldId : '',
      criteriaHeading:
        map?.criteria.kind === 'description-section' ? map.criteria.heading : 'Acceptance criteria',
      epicLink: map?.epicLink ?? '',
      rank: map?.rank ?? '',
      accepted: status.statusMap.accepted ?? '',
      rejected: status.statusMap.rejected ?? '',
      commentDecisions: status.commentDecisions,
    },
  });
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'settings';
  const criteriaKind = fields.criteriaKind.initialValue ?? 'none';
  const kindError = fields.criteriaKind.errors?.length ? `${form.id}-criteria-error` : undefined;
  const listOf = (field: MappedField) => (candidates[field]?.length ? `${form.id}-${field}-list` : undefined);
  // Described by its hint and, after a refusal, by its error (Conform adds the error's id).
  const { key: commentKey, ...comment } = getInputProps(fields.commentDecisions, {
    type: 'checkbox',
    ariaDescribedBy: `${form.id}-comment-hint`,
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)} aria-label="Fields and review decisions">
      <input type="hidden" name="intent" value="settings" />
      <FormAlert id={form.errorId} errors={form.errors} />
      {(Object.keys(fieldLabels) as MappedField[]).map((field) =>
        candidates[field]?.length ? (
          <datalist key={field} id={listOf(field)}>
            {candidates[field].map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </datalist>
        ) : null,
      )}
      <fieldset className="field">
        <legend>Field map</legend>
        <p className="hint">
          Jira field ids, such as customfield_10016. Empty: the field is not synced. “Detect again” lists the
          site’s fields by name.
        </p>
        <Field
          label="Story points field"
          meta={fields.storyPoints}
          list={listOf('storyPoints')}
          spellCheck={false}
        />
        <fieldset className="field radio-group" aria-describedby={kindError}>
          <legend>Acceptance criteria live in</legend>
          {(
            [
              ['field', 'A field of their own'],
              ['description-section', 'A section of the description'],
              ['none', 'Nowhere: not synced'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={fields.criteriaKind.name}
                value={value}
                defaultChecked={criteriaKind === value}
              />{' '}
              {label}
            </label>
          ))}
          <ErrorList id={kindError} errors={fields.criteriaKind.errors} />
        </fieldset>
        <Field
          label="Criteria field"
          hint="With “A field of their own”: the field’s id."
          meta={fields.criteriaField}
          list={listOf('criteria')}
          spellCheck={false}
        />
        <Field
          label="Criteria section heading"
          hint="With “A section of the description”: the heading above the Gherkin, e.g. Acceptance criteria."
          meta={fields.criteriaHeading}
        />
        <Field
          label="Epic link field"
          hint="Jira Cloud: parent. Data Center: the Epic Link field’s id."
          meta={fields.epicLink}
          list={listOf('epicLink')}
          spellCheck={false}
        />
        <Field
          label="Rank field"
          hint="Jira’s rank field: an import keeps Jira’s order, and reordering here reorders in Jira."
          meta={fields.rank}
          list={listOf('rank')}
          spellCheck={false}
        />
      </fieldset>
      <fieldset className="field">
        <legend>Review decisions in Jira</legend>
        <Field
          label="Status for an accepted item"
          hint="The Jira status an item accepted at the sprint review moves to, e.g. Done. Empty: its status is left alone."
          meta={fields.accepted}
        />
        <Field
          label="Status for a rejected item"
          hint="e.g. To Do. Empty: its status is left alone."
          meta={fields.rejected}
        />
        <div className="field checkbox-field">
          <input key={commentKey} {...comment} />
          <label htmlFor={fields.commentDecisions.id}>Also comment each decision with its reason</label>
        </div>
        <p id={`${form.id}-comment-hint`} className="hint">
          A sprint review’s decision is written on the issue as a comment: the note of an accept, what a
          rejected item still needs.
        </p>
        <ErrorList id={fields.commentDecisions.errorId} errors={fields.commentDecisions.errors} />
      </fieldset>
      <div className="actions">
        <button type="submit" className="button" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <div aria-live="polite">
        {reply?.message && reply.result.status === 'success' ? (
          <p className="alert alert-success">{reply.message}</p>
        ) : null}
      </div>
    </Form>
  );
}
