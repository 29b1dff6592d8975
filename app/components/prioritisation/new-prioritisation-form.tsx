import { Form, useNavigation } from '@remix-run/react';
import { useId, useState } from 'react';
import { ErrorList, FormAlert } from '~/components/forms';
import { AgendaPicker, type NewSessionOptions } from '~/components/session/new-session-form';
import { anonymousWeightsRule } from '~/domain/score-results';
import { useTimeZone } from '~/utils/client-hints';
import { todayIn } from '~/utils/dates';
import { type FormReply, messagesByField } from '~/utils/form-submission';

const methodOptions = [
  { value: 'dots', label: 'Dot voting', hint: 'each participant spreads a budget of dots' },
  { value: 'wsjf', label: 'WSJF scoring', hint: 'stakeholders score Cost of Delay, the team job size' },
  { value: 'moscow', label: 'MoSCoW', hint: 'must, should, could, won’t' },
  { value: 'businessValue', label: 'Business value', hint: '1 to 10' },
  { value: 'kano', label: 'Kano questionnaire', hint: 'a functional and a dysfunctional question per item' },
] as const;

/** The product owner's "New prioritisation session" form: agenda, methods, dot budget, anonymity, groups. */
export function NewPrioritisationForm({
  productId,
  options,
  result,
}: {
  productId: string;
  options: NewSessionOptions;
  result?: FormReply | null;
}) {
  const id = useId();
  const navigation = useNavigation();
  const busy = navigation.state !== 'idle' && navigation.formData?.get('kind') === 'prioritisation';
  const errors = messagesByField(result);
  const [groups, setGroups] = useState(0);
  const today = todayIn(useTimeZone());
  return (
    <section aria-labelledby={`${id}-title`} className="card new-session">
      <h3 id={`${id}-title`}>New prioritisation session</h3>
      <Form method="post" className="new-session-form" aria-labelledby={`${id}-title`}>
        <input type="hidden" name="kind" value="prioritisation" />
        <div className="new-session-settings">
          <div className="field">
            <label htmlFor={`${id}-name`}>Title</label>
            <input
              id={`${id}-name`}
              name="title"
              required
              maxLength={200}
              defaultValue={`Prioritisation ${today}`}
              aria-invalid={errors.title ? true : undefined}
            />
            <ErrorList id={`${id}-title-error`} errors={[errors.title]} />
          </div>
          <fieldset className="field method-choice">
            <legend>Methods</legend>
            {methodOptions.map((m) => (
              <label key={m.value}>
                <input
                  type="checkbox"
                  name="methods"
                  value={m.value}
                  defaultChecked={m.value === 'dots' || m.value === 'wsjf'}
                />{' '}
                {m.label} <span className="muted">({m.hint})</span>
              </label>
            ))}
            <ErrorList id={`${id}-methods-error`} errors={[errors.methods]} />
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-budget`}>Dots per participant</label>
            <input
              id={`${id}-budget`}
              name="dotBudget"
              type="number"
              inputMode="numeric"
              min={1}
              max={50}
              defaultValue={5}
              required
            />
            <ErrorList id={`${id}-dotBudget-error`} errors={[errors.dotBudget]} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-cap`}>At most this many dots on one item</label>
            <input
              id={`${id}-cap`}
              name="dotCap"
              type="number"
              inputMode="numeric"
              min={1}
              max={50}
              defaultValue={3}
              required
            />
            <ErrorList id={`${id}-dotCap-error`} errors={[errors.dotCap]} />
          </div>
          <div className="field checkbox-field">
            <input id={`${id}-anon`} type="checkbox" name="anonymous" aria-describedby={`${id}-anon-hint`} />
            <label htmlFor={`${id}-anon`}>Anonymous</label>
          </div>
          <p id={`${id}-anon-hint`} className="hint auto-hint">
            Nobody, you included, sees who voted what, even after the reveal; only how many have voted.
          </p>
          <fieldset className="field">
            <legend>Stakeholder groups (optional)</legend>
            <p className="hint">
              A group’s weight multiplies its members’ scores (1 = normal). Put people in groups in the room.
            </p>
            <p className="hint">{anonymousWeightsRule}</p>
            {groups > 0 ? (
              <div className="group-rows">
                {Array.from({ length: groups }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the form
                  <div key={i} className="group-row" style={{ display: 'contents' }}>
                    <div className="field">
                      <label htmlFor={`${id}-g${i}-name`}>Group {i + 1} name</label>
                      <input id={`${id}-g${i}-name`} name={`groups.${i}.name`} required maxLength={60} />
                    </div>
                    <div className="field">
                      <label htmlFor={`${id}-g${i}-weight`}>Weight</label>
                      <input
                        id={`${id}-g${i}-weight`}
                        name={`groups.${i}.weight`}
                        type="number"
                        min={0.1}
                        max={10}
                        step={0.1}
                        defaultValue={1}
                        required
                      />
                    </div>
                  </div>
                ))}
              </div>
            ) : null}
            <div className="button-row">
              {groups < 10 ? (
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() => setGroups((g) => g + 1)}
                >
                  Add a group
                </button>
              ) : null}
              {groups > 0 ? (
                <button type="button" className="link-button" onClick={() => setGroups((g) => g - 1)}>
                  Remove the last group
                </button>
              ) : null}
            </div>
            <ErrorList id={`${id}-groups-error`} errors={[errors.groups]} />
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-facilitator`}>Facilitator</label>
            <select
              id={`${id}-facilitator`}
              name="facilitatorId"
              defaultValue={options.facilitators.find((f) => f.me)?.userId ?? ''}
            >
              {options.facilitators.map((f) => (
                <option key={f.userId} value={f.userId}>
                  {f.name}
                  {f.me ? ' (you)' : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
        <AgendaPicker productId={productId} options={options} error={errors.agenda} />
        <div className="new-session-submit">
          <FormAlert message={errors.form} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create prioritisation session'}
          </button>
        </div>
      </Form>
    </section>
  );
}
