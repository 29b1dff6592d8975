import { useFetcher } from '@remix-run/react';
import { type ControlReply, controlOutcome } from '~/utils/form-submission';

/**
 * One room control: a fetcher that posts a session command to the room's action, so the page never navigates.
 * `error` is the refusal of this control's last request, to show next to it.
 */
export function useSessionCommand(command: string, key?: string) {
  const fetcher = useFetcher<ControlReply>(key ? { key } : undefined);
  const outcome = fetcher.data ? controlOutcome(fetcher.data) : null;
  return {
    fetcher,
    busy: fetcher.state !== 'idle',
    /** the fields being sent right now, for optimistic display */
    pending: fetcher.formData ?? null,
    /** the refusal: its message (`error`), the field it concerns and the path into a row (`children[1].title`) */
    error: outcome && !outcome.ok ? outcome : null,
    done: outcome?.ok ? outcome : null,
    submit: (fields: Record<string, string> = {}) =>
      fetcher.submit({ command, ...fields }, { method: 'post' }),
  };
}

/** A refusal, in words, right where the control is; announced to screen readers. */
export function CommandError({ error, id }: { error: { error: string } | null; id?: string }) {
  return (
    <div className="command-error" aria-live="assertive" id={id}>
      {error ? <p className="field-error">{error.error}</p> : null}
    </div>
  );
}
