import { Form, useNavigation } from '@remix-run/react';
import { useId } from 'react';
import { ErrorList, FormAlert } from '~/components/forms';
import { type FormReply, messagesByField } from '~/utils/form-submission';
import type { NewSessionOptions } from './new-session-form';

/**
 * The product owner's "New three amigos session" form: one story, a developer and a tester of the team (the
 * product owner is the third). The server checks all of it again (createSession).
 */
export function NewThreeAmigosForm({
  options,
  result,
}: {
  options: NewSessionOptions;
  result?: FormReply | null;
}) {
  const id = useId();
  const navigation = useNavigation();
  const busy =
    navigation.state !== 'idle' &&
    navigation.formMethod === 'POST' &&
    navigation.formData?.get('kind') === 'three_amigos';
  const errors = messagesByField(result);
  const team = options.facilitators.filter((f) => f.role === 'team_member');
  const stories = options.candidates.filter((c) => c.type !== 'epic');
  const described = (name: string, hint?: boolean) =>
    [hint ? `${id}-${name}-hint` : null, errors[name] ? `${id}-${name}-error` : null]
      .filter(Boolean)
      .join(' ') || undefined;
  const person = (name: 'developerId' | 'testerId', text: string, hint: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{text}</label>
      <select
        id={`${id}-${name}`}
        name={name}
        required
        defaultValue=""
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={described(name, true)}
      >
        <option value="" disabled>
          Pick a team member
        </option>
        {team.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.name}
          </option>
        ))}
      </select>
      <p id={`${id}-${name}-hint`} className="hint">
        {hint}
      </p>
      <ErrorList id={`${id}-${name}-error`} errors={[errors[name]]} />
    </div>
  );
  return (
    <section aria-labelledby={`${id}-title`} className="card new-session">
      <h3 id={`${id}-title`}>New three amigos session</h3>
      <p className="muted">
        You, a developer and a tester talk one story through before planning: the tester adds the cases the
        criteria miss, the developer records questions, dependencies and assumptions, and the session ends
        when all three mark a shared understanding.
      </p>
      {team.length < 2 || stories.length === 0 ? (
        <p className="empty-state">
          {stories.length === 0
            ? 'There is no story to talk through yet: add one to the backlog first.'
            : 'A three amigos session needs two team members (a developer and a tester): invite them first.'}
        </p>
      ) : (
        <Form method="post" className="new-session-form" aria-labelledby={`${id}-title`}>
          <input type="hidden" name="kind" value="three_amigos" />
          <div className="new-session-settings">
            <div className="field">
              <label htmlFor={`${id}-name`}>Title</label>
              <input
                id={`${id}-name`}
                name="title"
                required
                maxLength={200}
                defaultValue="Three amigos"
                aria-invalid={errors.title ? true : undefined}
                aria-describedby={described('title')}
              />
              <ErrorList id={`${id}-title-error`} errors={[errors.title]} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-story`}>Story</label>
              <select
                id={`${id}-story`}
                name="agenda"
                required
                defaultValue=""
                aria-invalid={errors.agenda ? true : undefined}
                aria-describedby={described('agenda')}
              >
                <option value="" disabled>
                  Pick the story
                </option>
                {stories.map((c) => (
                  <option key={c.id} value={c.id}>
                    #{c.position} {c.title}
                  </option>
                ))}
              </select>
              <ErrorList id={`${id}-agenda-error`} errors={[errors.agenda]} />
            </div>
            {person('developerId', 'Developer', 'Records questions, dependencies and assumptions.')}
            {person(
              'testerId',
              'Tester',
              'Adds the cases the acceptance criteria miss, as Gherkin scenarios.',
            )}
          </div>
          <div className="new-session-submit">
            <FormAlert message={errors.form} />
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Creating…' : 'Create three amigos session'}
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}
