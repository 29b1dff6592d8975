import { useFetcher } from '@remix-run/react';

/** What the room's action answers (see room.server.ts). */
export type CommandResult =
  | { ok: true; command: string; at: number; message?: string }
  | { ok: false; command: string; error: string; field?: string; path?: string };

/**
 * One room control: a fetcher that posts a session command to the room's action, so the page never navigates.
 * `error` is the refusal of this control's last request, to show next to it.
 */
export function useSessionCommand(command: string, key?: string) {
  const fetcher = useFetcher<CommandResult>(key ? { key } : undefined);
  const result = fetcher.data;
  return {
    fetcher,
    busy: fetcher.state !== 'idle',
    /** the fields being sent right now, for optimistic display */
    pending: fetcher.formData ?? null,
    error: result && !result.ok ? result : null,
    done: result?.ok ? result : null,
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
