import { useEffect, useRef } from 'react';
import { ControlError, useSprintCommand } from '~/components/review/use-sprint-command';
import {
  type GoalRiskProjection,
  type GoalRiskResponse,
  goalRiskResponseLabels,
  goalRiskResponses,
} from '~/domain/goal-risk';
import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime } from '~/utils/dates';

/** A sprint goal's risk as the pages receive it (see app/services/sprints/goal-risk.server.ts). */
export interface GoalRiskData {
  projection: GoalRiskProjection | null;
  summary: string | null;
  history: Array<{
    id: string;
    kind: 'at_risk' | 'back_on_track' | 'response';
    at: Date | string;
    summary: string;
    response: GoalRiskResponse | null;
    note: string;
    actorName: string | null;
  }>;
  mayRespond?: boolean;
}

/**
 * The goal at risk, said early: the projection in words (role="status", so it is announced), and for the product
 * owner the response form (cut scope, swap items, accept the risk, with a note). Text typed by people is plain text.
 */
export function GoalRiskBanner({ data, action }: { data: GoalRiskData; action?: string }) {
  const { projection, summary } = data;
  if (!projection || !summary) return null;
  const atRisk = projection.state === 'at_risk';
  const lastResponse = data.history.findLast((e) => e.kind === 'response');
  const lastState = data.history.findLast((e) => e.kind !== 'response');
  const answered = atRisk && lastResponse && lastState && new Date(lastResponse.at) > new Date(lastState.at);
  return (
    <section
      aria-label="Goal projection"
      className={`alert stack goal-risk ${atRisk ? 'alert-warning' : ''}`}
      data-state={projection.state}
    >
      <p role="status">
        <strong>{summary}</strong>
      </p>
      {atRisk && answered && lastResponse ? (
        <p>
          The product owner’s response:{' '}
          <strong>{goalRiskResponseLabels[lastResponse.response ?? 'accept_risk']}</strong> —{' '}
          {lastResponse.note}
        </p>
      ) : atRisk ? (
        <p className="muted">No response from the product owner yet.</p>
      ) : null}
      {data.mayRespond && action ? <GoalRiskResponseForm action={action} /> : null}
    </section>
  );
}

function GoalRiskResponseForm({ action }: { action: string }) {
  const command = useSprintCommand(action, 'goal-risk');
  const form = useRef<HTMLFormElement>(null);
  const done = command.fetcher.state === 'idle' && command.fetcher.data && !command.error;
  useEffect(() => {
    if (done) form.current?.reset();
  }, [done]);
  return (
    <command.fetcher.Form
      ref={form}
      method="post"
      action={action}
      className="stack"
      aria-labelledby="goal-risk-response-title"
    >
      <h3 id="goal-risk-response-title">Respond to the risk</h3>
      <input type="hidden" name="intent" value="goalRisk" />
      <fieldset className="radio-group">
        <legend>What do you do?</legend>
        {goalRiskResponses.map((response, i) => (
          <label key={response}>
            <input type="radio" name="response" value={response} required defaultChecked={i === 0} />{' '}
            {goalRiskResponseLabels[response]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="goal-risk-note">Note for the team and the stakeholders</label>
        <textarea
          id="goal-risk-note"
          name="note"
          required
          maxLength={2000}
          rows={2}
          aria-describedby="goal-risk-note-hint"
        />
        <p className="hint" id="goal-risk-note-hint">
          Which items you cut or swap, or why you go on as planned.
        </p>
      </div>
      <button type="submit" className="button" disabled={command.busy}>
        {command.busy ? 'Recording…' : 'Record the response'}
      </button>
      <ControlError error={command.error} />
    </command.fetcher.Form>
  );
}

const kindLabels = {
  at_risk: 'Flagged at risk',
  back_on_track: 'Back on track',
  response: 'Response',
} as const;

/** The goal's risk history, oldest first: flagged on, the responses, back on track. */
export function GoalRiskHistory({
  history,
  headingLevel = 2,
}: {
  history: GoalRiskData['history'];
  headingLevel?: 2 | 3;
}) {
  const timeZone = useTimeZone();
  if (history.length === 0) return null;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby="goal-risk-history-title" className="stack">
      <Heading id="goal-risk-history-title">Goal risk history</Heading>
      <ol className="plain-list goal-risk-history" aria-label="Goal risk history">
        {history.map((e) => (
          <li key={e.id}>
            <strong>{kindLabels[e.kind]}</strong> · {formatDateTime(e.at, timeZone)}
            {e.kind === 'response' ? (
              <>
                {' '}
                · {e.actorName}: {e.summary} — {e.note}
              </>
            ) : (
              <> · {e.summary}</>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
