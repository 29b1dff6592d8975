import { getFormProps, getTextareaProps, useForm } from '@conform-to/react';
import { Form, useNavigation } from '@remix-run/react';
import { useCallback, useRef, useState } from 'react';
import { type ScenarioSummary, summariseScenarios } from '~/domain/criteria-summary';
import type { ParsedCriteria } from '~/domain/gherkin';
import type {
  CriteriaFormFields,
  ItemReply,
} from '~/routes/products.$productId.items.$itemId/item-page.server';
import { firstError } from '~/utils/form-submission';

export type { ScenarioSummary };

/**
 * The criteria as the page lists them, following the live text: each parse of the live editor (the same parse it
 * shows as "Valid Gherkin: …") replaces the list; while the text does not parse, the list keeps the last valid
 * criteria (which the item keeps too) and says so. `stored` is the item's saved text and its criteria.
 */
export function useLiveCriteria(
  itemId: string,
  stored: { source: string; scenarios: readonly ScenarioSummary[] },
) {
  const [live, setLive] = useState<{
    itemId: string;
    source: string;
    valid: boolean;
    scenarios: readonly ScenarioSummary[];
  } | null>(null);
  const storedRef = useRef(stored);
  storedRef.current = stored;
  const onParsed = useCallback(
    (parsed: ParsedCriteria, source: string) => {
      const scenarios = summariseScenarios(parsed);
      setLive((previous) => ({
        itemId,
        source,
        valid: scenarios !== null,
        scenarios:
          scenarios ?? (previous?.itemId === itemId ? previous.scenarios : storedRef.current.scenarios),
      }));
    },
    [itemId],
  );
  const current = live?.itemId === itemId ? live : null;
  return {
    source: current?.source ?? stored.source,
    scenarios: current?.scenarios ?? stored.scenarios,
    /** the live text does not parse right now */
    invalid: current ? !current.valid : false,
    onParsed,
  };
}

/**
 * The criteria's own form, where they are not edited live: keyed by the saved text, so a successful save shows the
 * stored text; a refusal keeps the typed one.
 */
function CriteriaForm({ source, reply }: { source: string; reply: ItemReply | undefined }) {
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'criteria';
  const mine = reply?.intent === 'criteria' ? reply : undefined;
  const [form, fields] = useForm<CriteriaFormFields>({
    id: 'criteria',
    lastResult: mine?.result,
    defaultValue: { criteria: source },
  });
  const error = fields.criteria.errors?.[0] ?? form.errors?.[0];
  const saved = mine?.message && !firstError(mine.result) ? mine.message : null;
  return (
    <Form method="post" className="criteria-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="criteria" />
      <div className="field">
        <label htmlFor={fields.criteria.id}>
          Gherkin (Feature, Background, Scenario, Scenario Outline with Examples, Given/When/Then/And/But)
        </label>
        <textarea
          {...getTextareaProps(fields.criteria, { ariaAttributes: false })}
          className="code"
          rows={14}
          spellCheck={false}
          maxLength={50000}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? fields.criteria.errorId : undefined}
        />
        {error ? (
          <div id={fields.criteria.errorId} className="alert alert-error" role="alert">
            <p>{error}</p>
            <p>Nothing was saved: the criteria below are the last ones that parsed.</p>
          </div>
        ) : null}
      </div>
      {saved ? (
        <p className="alert alert-success" role="status">
          {saved}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={saving}>
        {saving ? 'Saving…' : 'Save criteria'}
      </button>
    </Form>
  );
}

/**
 * Acceptance criteria in Gherkin. On a parse error the service keeps the last valid criteria; the textarea keeps
 * what was typed and the error names its line. Each parsed scenario is one criterion (a checkbox at review).
 */
export function CriteriaSection({
  source,
  scenarios,
  mayEdit,
  featureHref,
  reply,
  liveText = false,
  liveInvalid = false,
}: {
  source: string;
  scenarios: readonly ScenarioSummary[];
  mayEdit: boolean;
  featureHref: string;
  /** the page's last form answer (this section's when its intent is "criteria") */
  reply: ItemReply | undefined;
  /** the source is edited (or followed) live elsewhere on the page: only the parsed criteria are listed here */
  liveText?: boolean;
  /** the live text does not parse at the moment: the list shows the last valid criteria */
  liveInvalid?: boolean;
}) {
  return (
    <section aria-labelledby="criteria-title" className="card stack">
      <div className="section-heading">
        <h2 id="criteria-title">Acceptance criteria</h2>
        {source.trim() ? (
          <a href={featureHref} download>
            Download .feature
          </a>
        ) : null}
      </div>
      {liveText ? null : mayEdit ? (
        <CriteriaForm key={source} source={source} reply={reply} />
      ) : source.trim() ? (
        <pre className="code-block">{source}</pre>
      ) : null}
      <h3 id="criteria-list-title">
        {scenarios.length === 0
          ? 'No criteria yet'
          : `${scenarios.length} ${scenarios.length === 1 ? 'criterion' : 'criteria'}`}
      </h3>
      {liveInvalid ? (
        <p className="hint">The criteria being written do not parse yet: these are the last valid ones.</p>
      ) : null}
      {scenarios.length > 0 ? (
        <ol className="criteria-list" aria-labelledby="criteria-list-title">
          {scenarios.map((s) => (
            <li key={s.index}>
              <strong>
                {s.keyword}: {s.name || '(unnamed)'}
              </strong>
              <span className="muted">
                {' '}
                · {s.steps} steps{s.examples ? ` · ${s.examples} examples` : ''}
                {s.rule ? ` · rule “${s.rule}”` : ''} · line {s.line}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
