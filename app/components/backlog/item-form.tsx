import { Form, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { kanoCategories, kanoCategoryLabels } from '~/domain/kano';
import { moscowLabels, moscowValues } from '~/domain/moscow';
import type { Readiness } from '~/domain/readiness';
import { fibonacciScale, wsjfScore } from '~/domain/wsjf';
import {
  type ItemStatus,
  type ItemType,
  outcomeLabels,
  statusLabels,
  typeLabels,
  wsjfPartLabels,
} from './labels';

export interface EditableItem {
  id: string;
  type: ItemType;
  title: string;
  description: string;
  parentId: string | null;
  estimate: number | null;
  status: ItemStatus;
  labels: string[];
  moscow: (typeof moscowValues)[number] | null;
  userBusinessValue: number | null;
  timeCriticality: number | null;
  riskReduction: number | null;
  jobSize: number | null;
  wsjf: number | null;
  kano: (typeof kanoCategories)[number] | null;
  impactHypothesis: string;
  successMetric: string;
  outcome: keyof typeof outcomeLabels | null;
  readyChecks: Record<string, boolean>;
  readyOverrideReason: string | null;
  updatedAt: Date | string;
}

export interface FormFeedback {
  ok: boolean;
  intent: string;
  message?: string;
  formError?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

const parts = ['userBusinessValue', 'timeCriticality', 'riskReduction', 'jobSize'] as const;
const settable: ItemStatus[] = ['new', 'refined', 'ready', 'in_sprint', 'done', 'accepted', 'rejected'];

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={`${id}-error`} className="field-error">
      {error}
    </p>
  ) : null;
}

/** aria attributes for a control whose error (if any) is shown below it */
const invalid = (id: string, error?: string) =>
  error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};

export function ItemForm({
  item,
  epics,
  checklist,
  readiness,
  mayOverride,
  mayDecide,
  feedback,
  liveText = false,
}: {
  item: EditableItem;
  epics: ReadonlyArray<{ id: string; title: string; status: string }>;
  checklist: ReadonlyArray<{ id: string; text: string }>;
  readiness: Readiness;
  mayOverride: boolean;
  mayDecide: boolean;
  feedback: FormFeedback | undefined;
  /** the description is edited live elsewhere on the page (LiveItemText): the form leaves it out */
  liveText?: boolean;
}) {
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save';
  const mine = feedback?.intent === 'save' ? feedback : undefined;
  const errors = mine?.ok ? {} : (mine?.fieldErrors ?? {});
  // After a refusal the form shows what was typed (also when the page was posted without scripts).
  const typed = mine && !mine.ok ? mine.values : undefined;
  const value = (key: keyof EditableItem, current: unknown) =>
    typed?.[key] ?? (current === null || current === undefined ? '' : String(current));
  const [scores, setScores] = useState(
    () =>
      Object.fromEntries(parts.map((p) => [p, value(p, item[p])])) as Record<(typeof parts)[number], string>,
  );
  const [checked, setChecked] = useState(() =>
    Object.fromEntries(
      checklist.map((c) => [c.id, typed ? typed[`ready.${c.id}`] === 'on' : item.readyChecks[c.id] === true]),
    ),
  );
  const score = wsjfScore({
    userBusinessValue: Number(scores.userBusinessValue) || null,
    timeCriticality: Number(scores.timeCriticality) || null,
    riskReduction: Number(scores.riskReduction) || null,
    jobSize: Number(scores.jobSize) || null,
  });
  const met = checklist.filter((c) => checked[c.id]).length;
  const archived = item.status === 'archived';
  const statuses = settable.filter(
    (s) => mayDecide || (s !== 'accepted' && s !== 'rejected') || s === item.status,
  );

  return (
    // The key resets the uncontrolled fields to the saved values after each successful save.
    <Form
      method="post"
      className="item-form"
      key={String(item.updatedAt)}
      aria-labelledby="item-details-title"
    >
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="readyChecksShown" value="1" />
      <h2 id="item-details-title" className="visually-hidden">
        Details
      </h2>
      {mine && !mine.ok ? (
        <div className="alert alert-error" role="alert">
          {mine.formError}
        </div>
      ) : null}
      {mine?.ok ? (
        <p className="alert alert-success" role="status">
          {mine.message}
        </p>
      ) : null}

      <fieldset className="form-section">
        <legend>Story</legend>
        <div className="field">
          <label htmlFor="item-title">Title</label>
          <input
            id="item-title"
            name="title"
            required
            maxLength={300}
            defaultValue={value('title', item.title)}
            {...invalid('item-title', errors.title)}
          />
          <FieldError id="item-title" error={errors.title} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="item-type">Type</label>
            <select
              id="item-type"
              name="type"
              defaultValue={value('type', item.type)}
              {...invalid('item-type', errors.type)}
            >
              {Object.entries(typeLabels).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
            <FieldError id="item-type" error={errors.type} />
          </div>
          <div className="field">
            <label htmlFor="item-parent">Parent epic</label>
            <select
              id="item-parent"
              name="parentId"
              defaultValue={value('parentId', item.parentId)}
              {...invalid('item-parent', errors.parentId)}
            >
              <option value="">No epic</option>
              {epics.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.title}
                  {e.status === 'archived' ? ' (archived)' : ''}
                </option>
              ))}
            </select>
            <FieldError id="item-parent" error={errors.parentId} />
          </div>
          <div className="field">
            <label htmlFor="item-status">Status</label>
            {archived ? (
              <p id="item-status" className="static-value">
                Archived (restore it to change the status)
              </p>
            ) : (
              <select
                id="item-status"
                name="status"
                defaultValue={value('status', item.status)}
                {...invalid('item-status', errors.status)}
              >
                {statuses.map((s) => (
                  <option key={s} value={s}>
                    {statusLabels[s]}
                  </option>
                ))}
              </select>
            )}
            <FieldError id="item-status" error={errors.status} />
          </div>
          <div className="field narrow">
            <label htmlFor="item-estimate">Estimate (points)</label>
            <input
              id="item-estimate"
              name="estimate"
              inputMode="numeric"
              pattern="[0-9]*"
              defaultValue={value('estimate', item.estimate)}
              {...invalid('item-estimate', errors.estimate)}
            />
            <FieldError id="item-estimate" error={errors.estimate} />
          </div>
        </div>
        {liveText ? null : (
          <div className="field">
            <label htmlFor="item-description">Description</label>
            <p className="hint" id="item-description-hint">
              As a … I want … so that …
            </p>
            <textarea
              id="item-description"
              name="description"
              rows={5}
              maxLength={20000}
              defaultValue={value('description', item.description)}
              aria-describedby={
                errors.description ? 'item-description-hint item-description-error' : 'item-description-hint'
              }
              aria-invalid={errors.description ? true : undefined}
            />
            <FieldError id="item-description" error={errors.description} />
          </div>
        )}
        <div className="field">
          <label htmlFor="item-labels">Labels</label>
          <p className="hint" id="item-labels-hint">
            Separated by commas
          </p>
          <input
            id="item-labels"
            name="labels"
            defaultValue={value('labels', item.labels.join(', '))}
            aria-describedby={errors.labels ? 'item-labels-hint item-labels-error' : 'item-labels-hint'}
            aria-invalid={errors.labels ? true : undefined}
          />
          <FieldError id="item-labels" error={errors.labels} />
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Priority</legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor="item-moscow">MoSCoW</label>
            <select
              id="item-moscow"
              name="moscow"
              defaultValue={value('moscow', item.moscow)}
              {...invalid('item-moscow', errors.moscow)}
            >
              <option value="">Not decided</option>
              {moscowValues.map((m) => (
                <option key={m} value={m}>
                  {moscowLabels[m]}
                </option>
              ))}
            </select>
            <FieldError id="item-moscow" error={errors.moscow} />
          </div>
          <div className="field">
            <label htmlFor="item-kano">Kano category</label>
            <select
              id="item-kano"
              name="kano"
              defaultValue={value('kano', item.kano)}
              {...invalid('item-kano', errors.kano)}
            >
              <option value="">Not classified</option>
              {kanoCategories.map((k) => (
                <option key={k} value={k}>
                  {kanoCategoryLabels[k]}
                </option>
              ))}
            </select>
            <FieldError id="item-kano" error={errors.kano} />
          </div>
        </div>
        <div className="wsjf-grid">
          {parts.map((p) => (
            <div className="field" key={p}>
              <label htmlFor={`item-${p}`}>{wsjfPartLabels[p]}</label>
              <select
                id={`item-${p}`}
                name={p}
                defaultValue={scores[p]}
                onChange={(e) => {
                  const picked = e.currentTarget.value;
                  setScores((s) => ({ ...s, [p]: picked }));
                }}
                {...invalid(`item-${p}`, errors[p])}
              >
                <option value="">Not scored</option>
                {fibonacciScale.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
              <FieldError id={`item-${p}`} error={errors[p]} />
            </div>
          ))}
          <p className="wsjf-score" aria-live="polite">
            <span className="muted">WSJF = (value + time + risk) / size = </span>
            <strong>{score ?? '–'}</strong>
            {score === null ? <span className="muted"> (score all four parts)</span> : null}
          </p>
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Outcome</legend>
        <div className="field">
          <label htmlFor="item-impact">Impact hypothesis</label>
          <textarea
            id="item-impact"
            name="impactHypothesis"
            rows={2}
            maxLength={2000}
            defaultValue={value('impactHypothesis', item.impactHypothesis)}
            {...invalid('item-impact', errors.impactHypothesis)}
          />
          <FieldError id="item-impact" error={errors.impactHypothesis} />
        </div>
        <div className="field-row">
          <div className="field grow">
            <label htmlFor="item-metric">Success metric</label>
            <input
              id="item-metric"
              name="successMetric"
              maxLength={2000}
              defaultValue={value('successMetric', item.successMetric)}
              {...invalid('item-metric', errors.successMetric)}
            />
            <FieldError id="item-metric" error={errors.successMetric} />
          </div>
          <div className="field">
            <label htmlFor="item-outcome">Outcome after release</label>
            <select
              id="item-outcome"
              name="outcome"
              defaultValue={value('outcome', item.outcome)}
              {...invalid('item-outcome', errors.outcome)}
            >
              <option value="">Not recorded</option>
              {Object.entries(outcomeLabels).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
            <FieldError id="item-outcome" error={errors.outcome} />
          </div>
        </div>
      </fieldset>

      <fieldset className="form-section" aria-describedby="dor-progress">
        <legend>Definition of Ready</legend>
        {checklist.length === 0 ? (
          <p className="muted">
            This product has no Definition of Ready yet. The product owner sets it in Settings.
          </p>
        ) : (
          <>
            <p id="dor-progress" className="dor-progress">
              <progress max={checklist.length} value={met} aria-hidden="true" /> {met} of {checklist.length}{' '}
              checked
            </p>
            <ul className="checklist">
              {checklist.map((c) => (
                <li key={c.id}>
                  <label>
                    <input
                      type="checkbox"
                      name={`ready.${c.id}`}
                      checked={checked[c.id] ?? false}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setChecked((s) => ({ ...s, [c.id]: on }));
                      }}
                    />{' '}
                    {c.text}
                  </label>
                </li>
              ))}
            </ul>
          </>
        )}
        {readiness.blockedByDependencies ? (
          <p className="readiness-blocked">
            <span aria-hidden="true">⊘ </span>Blocked by an unfinished item (see Dependencies): not ready
            until it is done.
          </p>
        ) : null}
        {mayOverride ? (
          <div className="field">
            <label htmlFor="item-override">Ready anyway, because… (product owner override)</label>
            <p className="hint" id="item-override-hint">
              Only needed to mark an item ready while its checklist or dependencies are not complete. Leave
              empty for no override.
            </p>
            <input
              id="item-override"
              name="readyOverrideReason"
              maxLength={1000}
              defaultValue={value('readyOverrideReason', item.readyOverrideReason)}
              aria-describedby={
                errors.readyOverrideReason ? 'item-override-hint item-override-error' : 'item-override-hint'
              }
              aria-invalid={errors.readyOverrideReason ? true : undefined}
            />
            <FieldError id="item-override" error={errors.readyOverrideReason} />
          </div>
        ) : item.readyOverrideReason ? (
          <p>Ready by the product owner’s override: “{item.readyOverrideReason}”</p>
        ) : null}
      </fieldset>

      <div className="field">
        <label htmlFor="item-reason">Reason for this change (optional, kept in the decision log)</label>
        <input
          id="item-reason"
          name="reason"
          maxLength={1000}
          defaultValue={typed?.reason ?? ''}
          {...invalid('item-reason', errors.reason)}
        />
        <FieldError id="item-reason" error={errors.reason} />
      </div>
      <button type="submit" className="button" disabled={saving}>
        {saving ? 'Saving…' : 'Save changes'}
      </button>
    </Form>
  );
}
