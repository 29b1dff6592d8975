import { CommandError, useSessionCommand } from '~/components/session/use-session-command';
import { kanoAnswerLabels, kanoAnswers } from '~/domain/kano';
import { moscowLabels, moscowValues } from '~/domain/moscow';
import { fibonacciScale } from '~/domain/wsjf';
import { type Method, partLabels } from './types';

const businessValues = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function ScoreSelect({
  id,
  name,
  label,
  values,
  current,
  disabled,
  hint,
}: {
  id: string;
  name: string;
  label: string;
  values: ReadonlyArray<{ value: string; label: string }>;
  current: string | undefined;
  disabled: boolean;
  hint?: string;
}) {
  return (
    <div className="score-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        defaultValue={current ?? ''}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        <option value="">—</option>
        {values.map((v) => (
          <option key={v.value} value={v.value}>
            {v.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const fib = fibonacciScale.map((v) => ({ value: String(v), label: String(v) }));

/**
 * The scores for one item, for the session's methods: WSJF's Cost-of-Delay parts (and job size for the team) on
 * 1, 2, 3, 5, 8, 13, 20, business value 1 to 10, MoSCoW, and the Kano pair. Only what is filled in is sent; a
 * part sent again replaces the earlier score.
 */
export function ScoreForm({
  itemId,
  title,
  methods,
  mine,
  mayJobSize,
  disabled,
}: {
  itemId: string;
  title: string;
  methods: Method[];
  mine: ReadonlyMap<string, string>;
  mayJobSize: boolean;
  disabled: boolean;
}) {
  const command = useSessionCommand('submitScores', `scores-${itemId}`);
  const scoring = methods.filter((m) => m !== 'dots');
  if (scoring.length === 0) return null;
  const f = (part: string) => `score-${itemId}-${part}`;
  // The key makes the selects show the saved scores again after a reload.
  const key = [...mine.entries()].map(([p, v]) => `${p}=${v}`).join('&');
  return (
    <command.fetcher.Form method="post" className="score-form" key={key} aria-label={`Scores for “${title}”`}>
      <input type="hidden" name="command" value="submitScores" />
      <input type="hidden" name="itemId" value={itemId} />
      {methods.includes('wsjf') ? (
        <fieldset className="score-group">
          <legend>WSJF: Cost of Delay{mayJobSize ? ' and job size' : ''}</legend>
          <div className="score-grid">
            {(['userBusinessValue', 'timeCriticality', 'riskReduction'] as const).map((part) => (
              <ScoreSelect
                key={part}
                id={f(part)}
                name={part}
                label={partLabels[part]}
                values={fib}
                current={mine.get(part)}
                disabled={disabled}
              />
            ))}
            {mayJobSize ? (
              <ScoreSelect
                id={f('jobSize')}
                name="jobSize"
                label={partLabels.jobSize}
                values={fib}
                current={mine.get('jobSize')}
                disabled={disabled}
                hint="The team sizes the job."
              />
            ) : null}
          </div>
        </fieldset>
      ) : null}
      {methods.includes('businessValue') || methods.includes('moscow') ? (
        <div className="score-grid">
          {methods.includes('businessValue') ? (
            <ScoreSelect
              id={f('businessValue')}
              name="businessValue"
              label="Business value (1 to 10)"
              values={businessValues.map((v) => ({ value: String(v), label: String(v) }))}
              current={mine.get('businessValue')}
              disabled={disabled}
            />
          ) : null}
          {methods.includes('moscow') ? (
            <ScoreSelect
              id={f('moscow')}
              name="moscow"
              label="MoSCoW"
              values={moscowValues.map((v) => ({ value: v, label: moscowLabels[v] }))}
              current={mine.get('moscow')}
              disabled={disabled}
            />
          ) : null}
        </div>
      ) : null}
      {methods.includes('kano') ? (
        <fieldset className="score-group">
          <legend>Kano</legend>
          <div className="score-grid">
            <ScoreSelect
              id={f('kanoFunctional')}
              name="kanoFunctional"
              label="If the product has it, how do you feel?"
              values={kanoAnswers.map((v) => ({ value: v, label: kanoAnswerLabels[v] }))}
              current={mine.get('kanoFunctional')}
              disabled={disabled}
            />
            <ScoreSelect
              id={f('kanoDysfunctional')}
              name="kanoDysfunctional"
              label="If the product does not have it, how do you feel?"
              values={kanoAnswers.map((v) => ({ value: v, label: kanoAnswerLabels[v] }))}
              current={mine.get('kanoDysfunctional')}
              disabled={disabled}
            />
          </div>
        </fieldset>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button button-small" disabled={disabled || command.busy}>
          Save scores<span className="visually-hidden"> for “{title}”</span>
        </button>
        {command.done && !command.busy ? (
          <span className="saved-note" role="status">
            Saved
          </span>
        ) : null}
      </div>
      <CommandError error={command.error} />
    </command.fetcher.Form>
  );
}
