import { type DefaultValue, getFormProps, useForm } from '@conform-to/react';
import { Form, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { ErrorList, Field, FormAlert, SelectField, TextareaField } from '~/components/forms';
import { maxDebtImpactLength } from '~/domain/debt-share';
import { kanoCategories, kanoCategoryLabels } from '~/domain/kano';
import { moscowLabels, moscowValues } from '~/domain/moscow';
import type { Readiness } from '~/domain/readiness';
import { fibonacciScale, wsjfScore } from '~/domain/wsjf';
import type { ItemFormFields } from '~/routes/products.$productId.items.$itemId/item-form.server';
import type { ItemReply } from '~/routes/products.$productId.items.$itemId/item-page.server';
import { firstError } from '~/utils/form-submission';
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
  debtImpact: string;
  readyChecks: Record<string, boolean>;
  readyOverrideReason: string | null;
  updatedAt: Date | string;
}

const parts = ['userBusinessValue', 'timeCriticality', 'riskReduction', 'jobSize'] as const;
const settable: ItemStatus[] = ['new', 'refined', 'ready', 'in_sprint', 'done', 'accepted', 'rejected'];

const asText = (value: number | null) => (value === null ? null : String(value));

/** The item's saved values as the form shows them. */
function savedValues(item: EditableItem): DefaultValue<ItemFormFields> {
  return {
    title: item.title,
    type: item.type,
    parentId: item.parentId,
    status: item.status === 'archived' ? null : item.status,
    estimate: item.estimate,
    description: item.description,
    labels: item.labels.join(', '),
    moscow: item.moscow,
    kano: item.kano,
    userBusinessValue: asText(item.userBusinessValue),
    timeCriticality: asText(item.timeCriticality),
    riskReduction: asText(item.riskReduction),
    jobSize: asText(item.jobSize),
    impactHypothesis: item.impactHypothesis,
    successMetric: item.successMetric,
    outcome: item.outcome,
    debtImpact: item.debtImpact,
    readyOverrideReason: item.readyOverrideReason,
  };
}

/**
 * The item's details. After a refusal it shows what was typed (also when the page was posted without scripts);
 * the page keys it by the item's `updatedAt`, so a save (or anyone's change) shows the saved values.
 */
export function ItemForm({
  item,
  epics,
  checklist,
  readiness,
  mayOverride,
  mayDecide,
  reply,
  liveText = false,
}: {
  item: EditableItem;
  epics: ReadonlyArray<{ id: string; title: string; status: string }>;
  checklist: ReadonlyArray<{ id: string; text: string }>;
  readiness: Readiness;
  mayOverride: boolean;
  mayDecide: boolean;
  /** the page's last form answer (this form's when its intent is "save") */
  reply: ItemReply | undefined;
  /** the description is edited live elsewhere on the page (LiveItemText): the form leaves it out */
  liveText?: boolean;
}) {
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save';
  const mine = reply?.intent === 'save' ? reply : undefined;
  const [form, fields] = useForm<ItemFormFields>({
    id: 'item',
    lastResult: mine?.result,
    defaultValue: savedValues(item),
  });
  const [scores, setScores] = useState(
    () =>
      Object.fromEntries(parts.map((p) => [p, fields[p].initialValue ?? ''])) as Record<
        (typeof parts)[number],
        string
      >,
  );
  const [checked, setChecked] = useState(() => {
    const shown = mine?.readyChecks ?? item.readyChecks;
    return Object.fromEntries(checklist.map((c) => [c.id, shown[c.id] === true]));
  });
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
  const saved = mine?.message && !firstError(mine.result) ? mine.message : null;

  return (
    <Form method="post" className="item-form" aria-labelledby="item-details-title" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="readyChecksShown" value="1" />
      <h2 id="item-details-title" className="visually-hidden">
        Details
      </h2>
      <FormAlert id={form.errorId} errors={form.errors} />
      {saved ? (
        <p className="alert alert-success" role="status">
          {saved}
        </p>
      ) : null}

      <fieldset className="form-section">
        <legend>Story</legend>
        <Field label="Title" meta={fields.title} required maxLength={300} />
        <div className="field-row">
          <SelectField label="Type" meta={fields.type}>
            {Object.entries(typeLabels).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          <SelectField label="Parent epic" meta={fields.parentId}>
            <option value="">No epic</option>
            {epics.map((e) => (
              <option key={e.id} value={e.id}>
                {e.title}
                {e.status === 'archived' ? ' (archived)' : ''}
              </option>
            ))}
          </SelectField>
          {archived ? (
            <div className="field">
              <label htmlFor={fields.status.id}>Status</label>
              <p id={fields.status.id} className="static-value">
                Archived (restore it to change the status)
              </p>
              <ErrorList id={fields.status.errorId} errors={fields.status.errors} />
            </div>
          ) : (
            <SelectField label="Status" meta={fields.status}>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {statusLabels[s]}
                </option>
              ))}
            </SelectField>
          )}
          <Field
            label="Estimate (points)"
            meta={fields.estimate}
            className="field narrow"
            inputMode="numeric"
            pattern="[0-9]*"
          />
        </div>
        {liveText ? null : (
          <TextareaField
            label="Description"
            hint="As a … I want … so that …"
            meta={fields.description}
            rows={5}
            maxLength={20000}
          />
        )}
        <Field label="Labels" hint="Separated by commas" meta={fields.labels} />
      </fieldset>

      <fieldset className="form-section">
        <legend>Priority</legend>
        <div className="field-row">
          <SelectField label="MoSCoW" meta={fields.moscow}>
            <option value="">Not decided</option>
            {moscowValues.map((m) => (
              <option key={m} value={m}>
                {moscowLabels[m]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Kano category" meta={fields.kano}>
            <option value="">Not classified</option>
            {kanoCategories.map((k) => (
              <option key={k} value={k}>
                {kanoCategoryLabels[k]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="wsjf-grid">
          {parts.map((p) => (
            <SelectField
              key={p}
              label={wsjfPartLabels[p]}
              meta={fields[p]}
              onChange={(e) => {
                const picked = e.currentTarget.value;
                setScores((s) => ({ ...s, [p]: picked }));
              }}
            >
              <option value="">Not scored</option>
              {fibonacciScale.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </SelectField>
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
        <TextareaField label="Impact hypothesis" meta={fields.impactHypothesis} rows={2} maxLength={2000} />
        {item.type === 'tech_debt' || item.debtImpact !== '' ? (
          <TextareaField
            label="Debt impact"
            hint="What this debt costs: adds N days to each feature in this area"
            meta={fields.debtImpact}
            rows={2}
            maxLength={maxDebtImpactLength}
          />
        ) : null}
        <div className="field-row">
          <Field label="Success metric" meta={fields.successMetric} className="field grow" maxLength={2000} />
          <SelectField label="Outcome after release" meta={fields.outcome}>
            <option value="">Not recorded</option>
            {Object.entries(outcomeLabels).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
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
          <Field
            label="Ready anyway, because… (product owner override)"
            hint="Only needed to mark an item ready while its checklist or dependencies are not complete. Leave empty for no override."
            meta={fields.readyOverrideReason}
            maxLength={1000}
          />
        ) : item.readyOverrideReason ? (
          <p>Ready by the product owner’s override: “{item.readyOverrideReason}”</p>
        ) : null}
      </fieldset>

      <Field
        label="Reason for this change (optional, kept in the decision log)"
        meta={fields.reason}
        maxLength={1000}
      />
      <button type="submit" className="button" disabled={saving}>
        {saving ? 'Saving…' : 'Save changes'}
      </button>
    </Form>
  );
}
