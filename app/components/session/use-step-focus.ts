import { type RefObject, useEffect, useRef, useState } from 'react';

/**
 * A control that opens a step in the page (a confirmation, a small form) instead of a browser dialog: opening it
 * puts the focus on the step's first control, closing it puts the focus back on the control that opened it, so
 * keyboard users never land on the page body.
 */
export function useStepFocus<Step extends HTMLElement = HTMLButtonElement>(): {
  open: boolean;
  setOpen: (open: boolean) => void;
  opener: RefObject<HTMLButtonElement>;
  first: RefObject<Step>;
} {
  const [open, setOpen] = useState(false);
  const first = useRef<Step>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) first.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return { open, setOpen, opener, first };
}
