import type { MouseEvent, ReactNode } from 'react';

const fields = 'input:not([type="hidden"]), select, textarea';

/**
 * A call to action that leads to a form on the same page: it opens the form if it is folded away (a <details>),
 * brings it into view and puts the keyboard focus in its first field, so the next keystroke is typing. `target`
 * is the id of the field, or of a section holding the form. Before scripts load it is a plain in-page link.
 */
export function FocusLink({
  target,
  className,
  children,
}: {
  target: string;
  className?: string;
  children: ReactNode;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    const element = document.getElementById(target);
    if (!element) return;
    event.preventDefault();
    const details = element.closest('details');
    if (details && !details.open) details.open = true;
    const field = element.matches(fields) ? element : element.querySelector<HTMLElement>(fields);
    (field ?? element).scrollIntoView({ block: 'center' });
    (field ?? element).focus({ preventScroll: true });
  };
  return (
    <a href={`#${target}`} className={className} onClick={onClick}>
      {children}
    </a>
  );
}
