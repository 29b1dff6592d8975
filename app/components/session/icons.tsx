/**
 * Small icons drawn with SVG rather than emoji, which not every system has a font for. Decorative: the text
 * next to them says the same, so they are hidden from screen readers.
 */
function StrokeIcon({ className, d }: { className: string; d: string }) {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
        d={d}
      />
    </svg>
  );
}

export function HandIcon({ className = 'icon' }: { className?: string }) {
  return (
    <StrokeIcon
      className={className}
      d="M8 13V5.5a1.5 1.5 0 0 1 3 0V12m0-7.5V4a1.5 1.5 0 0 1 3 0v8m0-6.5a1.5 1.5 0 0 1 3 0V13m0-5a1.5 1.5 0 0 1 3 0v6a8 8 0 0 1-8 8h-1a7 7 0 0 1-5.6-2.8L3.7 15.5a1.5 1.5 0 0 1 2.3-1.9L8 15.5"
    />
  );
}

export function CoffeeIcon({ className = 'icon' }: { className?: string }) {
  return (
    <StrokeIcon
      className={className}
      d="M4 9h12v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5V9Zm12 1h1.5a2.5 2.5 0 0 1 0 5H16M7 2.5c0 1.5 1 1.5 1 3M11 2.5c0 1.5 1 1.5 1 3M3 21.5h14"
    />
  );
}
