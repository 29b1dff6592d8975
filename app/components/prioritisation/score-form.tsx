import { useEffect, useRef, useState } from 'react';
import { useSessionCommand } from '~/components/session/use-session-command';
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
  saved,
  disabled,
  hint,
  onPick,
}: {
  id: string;
  name: string;
  label: string;
  values: ReadonlyArray<{ value: string; label: string }>;
  current: string | undefined;
  /** a score already stored: it can be changed, not taken back, so "—" is no longer offered */
  saved: boolean;
  disabled: boolean;
  hint?: string;
  onPick: (value: string) => void;
}) {
  return (
    <div className="score-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={current ?? ''}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onPick(e.currentTarget.value)}
      >
        <option value="" disabled={saved}>
          —
        </option>
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

/** How long a picked score waits for the next pick before it is sent: a run of arrow-key changes sends once. */
const saveDelayMs = 500;

/**
 * One item's scores, saved as they are picked: each change (after a short pause) sends every score filled in for
 * the item through `submitScores`, one request at a time so an older answer never overwrites a newer pick.
 */
function useAutosavedScores(itemId: string, mine: ReadonlyMap<string, string>) {
  const command = useSessionCommand('submitScores', `scores-${itemId}`);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(mine));
  const valuesRef = useRef(values);
  const editsRef = useRef(0);
  const [edits, setEdits] = useState(0);
  const [sent, setSent] = useState(0);
  const [due, setDue] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const mineKey = [...mine.entries()].map(([p, v]) => `${p}=${v}`).join('&');

  // The room reloaded with other stored scores (a reset, a reveal): show them, unless a pick is still unsent.
  // biome-ignore lint/correctness/useExhaustiveDependencies: mineKey stands for mine.
  useEffect(() => {
    if (editsRef.current !== sent || command.busy) return;
    const next = Object.fromEntries(mine);
    valuesRef.current = next;
    setValues(next);
  }, [mineKey]);

  useEffect(() => () => clearTimeout(timer.current), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the pause is over or the last request answered.
  useEffect(() => {
    if (!due || command.busy) return;
    setDue(false);
    const upTo = editsRef.current;
    if (upTo === sent) return;
    setSent(upTo);
    const filled = Object.entries(valuesRef.current).filter(([, v]) => v !== '');
    if (filled.length > 0) command.submit({ itemId, ...Object.fromEntries(filled) });
  }, [due, command.busy]);

  const flush = () => {
    clearTimeout(timer.current);
    if (editsRef.current !== sent) setDue(true);
  };
  const pick = (part: string, value: string) => {
    const next = { ...valuesRef.current, [part]: value };
    valuesRef.current = next;
    setValues(next);
    editsRef.current += 1;
    setEdits(editsRef.current);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setDue(true), saveDelayMs);
  };
  const filled = Object.values(values).some((v) => v !== '');
  const state: { kind: 'saving' | 'error' | 'saved' | 'empty'; text: string } =
    command.busy || edits !== sent
      ? { kind: 'saving', text: 'Saving…' }
      : command.error
        ? { kind: 'error', text: `Not saved: ${command.error.error}` }
        : filled
          ? { kind: 'saved', text: 'Saved' }
          : { kind: 'empty', text: 'No score yet' };
  return { values, pick, flush, state };
}

/**
 * The scores for one item, for the session's methods: WSJF's Cost-of-Delay parts (and job size for the team) on
 * 1, 2, 3, 5, 8, 13, 20, business value 1 to 10, MoSCoW, and the Kano pair. Each pick is saved as it is made (no
 * Save button to forget); the item says whether its scores are saved, being saved, or not saved and why.
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
  const { values, pick, flush, state } = useAutosavedScores(itemId, mine);
  const scoring = methods.filter((m) => m !== 'dots');
  if (scoring.length === 0) return null;
  const f = (part: string) => `score-${itemId}-${part}`;
  const select = (part: string) => ({
    id: f(part),
    name: part,
    current: values[part],
    saved: Boolean(values[part]),
    disabled,
    onPick: (value: string) => pick(part, value),
  });
  return (
    <form
      className="score-form"
      aria-label={`Scores for “${title}”`}
      onSubmit={(e) => {
        e.preventDefault();
        flush();
      }}
      onBlur={(e) => {
        // Leaving the item's scores sends what is waiting at once.
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) flush();
      }}
    >
      {methods.includes('wsjf') ? (
        <fieldset className="score-group">
          <legend>WSJF: Cost of Delay{mayJobSize ? ' and job size' : ''}</legend>
          <div className="score-grid">
            {(['userBusinessValue', 'timeCriticality', 'riskReduction'] as const).map((part) => (
              <ScoreSelect key={part} {...select(part)} label={partLabels[part]} values={fib} />
            ))}
            {mayJobSize ? (
              <ScoreSelect
                {...select('jobSize')}
                label={partLabels.jobSize}
                values={fib}
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
              {...select('businessValue')}
              label="Business value (1 to 10)"
              values={businessValues.map((v) => ({ value: String(v), label: String(v) }))}
            />
          ) : null}
          {methods.includes('moscow') ? (
            <ScoreSelect
              {...select('moscow')}
              label="MoSCoW"
              values={moscowValues.map((v) => ({ value: v, label: moscowLabels[v] }))}
            />
          ) : null}
        </div>
      ) : null}
      {methods.includes('kano') ? (
        <fieldset className="score-group">
          <legend>Kano</legend>
          <div className="score-grid">
            <ScoreSelect
              {...select('kanoFunctional')}
              label="If the product has it, how do you feel?"
              values={kanoAnswers.map((v) => ({ value: v, label: kanoAnswerLabels[v] }))}
            />
            <ScoreSelect
              {...select('kanoDysfunctional')}
              label="If the product does not have it, how do you feel?"
              values={kanoAnswers.map((v) => ({ value: v, label: kanoAnswerLabels[v] }))}
            />
          </div>
        </fieldset>
      ) : null}
      <p
        className={`save-state save-state-${state.kind}${state.kind === 'error' ? ' field-error' : ''}`}
        role="status"
        aria-live="polite"
      >
        {state.text}
        {state.kind === 'empty' ? null : <span className="visually-hidden"> (scores for “{title}”)</span>}
      </p>
    </form>
  );
}
