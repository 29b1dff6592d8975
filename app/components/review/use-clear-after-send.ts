import { useEffect, useRef } from 'react';

/**
 * Clears a form once its own submission has been accepted, and only then: what someone is typing survives other
 * people's feedback arriving live (the form used to be re-mounted whenever the feedback list grew, which wiped a
 * half-written note), and a refused submission keeps its text for another try. Attach the ref to the form.
 */
export function useClearAfterSend(busy: boolean, refused: boolean) {
  const form = useRef<HTMLFormElement>(null);
  const sending = useRef(false);
  useEffect(() => {
    if (busy) {
      sending.current = true;
      return;
    }
    if (!sending.current) return;
    sending.current = false;
    if (!refused) form.current?.reset();
  }, [busy, refused]);
  return form;
}
