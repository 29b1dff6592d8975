import { useFetcher } from '@remix-run/react';
import { type ControlReply, firstError } from '~/utils/form-submission';

/**
 * One sprint or review control: a fetcher that posts to the sprint page's action (from the planning page or the
 * review room), so the page never navigates. `error` is this control's last refusal.
 */
export function useSprintCommand(action: string, key?: string) {
  const fetcher = useFetcher<ControlReply>(key ? { key } : undefined);
  const result = fetcher.data;
  return {
    fetcher,
    busy: fetcher.state !== 'idle',
    error: firstError(result?.result)?.message ?? null,
    submit: (intent: string, fields: Record<string, string> = {}) =>
      fetcher.submit({ intent, ...fields }, { method: 'post', action }),
  };
}

export function ControlError({ error }: { error: string | null }) {
  return <div aria-live="assertive">{error ? <p className="field-error">{error}</p> : null}</div>;
}
