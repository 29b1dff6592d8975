import { useEffect, useState } from 'react';
import { CommandError, useSessionCommand } from '~/components/session/use-session-command';
import { dotButtonRefusal } from '~/domain/dot-voting';

/**
 * Dots on one item: − and + buttons (keyboard operable, labelled with the item) around the count. The server
 * enforces the budget and the cap; the buttons only spare people a refusal they can see coming. A button that
 * cannot act is marked aria-disabled rather than disabled, so it keeps the keyboard focus when the last dot goes
 * on (a disabled button would drop it to the page body); pressing it says why, in a live region.
 */
export function DotControl({
  itemId,
  title,
  dots,
  cap,
  left,
  disabled,
}: {
  itemId: string;
  title: string;
  dots: number;
  cap: number;
  left: number;
  disabled: boolean;
}) {
  const command = useSessionCommand('castDots', `dots-${itemId}`);
  // The count makes a repeated refusal a new text node, so screen readers say it again.
  const [refusal, setRefusal] = useState<{ text: string; count: number } | null>(null);
  // A refusal is about the moment it was given: once the dots or the vote change, it goes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the values are the trigger, not inputs
  useEffect(() => setRefusal(null), [dots, left, disabled]);
  const state = { open: !disabled, dots, cap, left };
  const whyNotMore = dotButtonRefusal('add', state);
  const whyNotLess = dotButtonRefusal('remove', state);
  const press = (change: 1 | -1, why: string | null) => {
    if (why) {
      setRefusal((r) => ({ text: why, count: (r?.count ?? 0) + 1 }));
      return;
    }
    setRefusal(null);
    command.submit({ itemId, dots: String(dots + change) });
  };
  return (
    <div className="dot-control">
      <span className="dot-label" id={`dots-label-${itemId}`}>
        Your dots
      </span>
      <div className="dot-buttons">
        <button
          type="button"
          className="button button-small button-secondary dot-button"
          onClick={() => press(-1, whyNotLess)}
          aria-disabled={whyNotLess ? true : undefined}
          aria-label={`Take a dot off “${title}”`}
        >
          −
        </button>
        <output className="dot-count" aria-live="polite" aria-labelledby={`dots-label-${itemId}`}>
          <span className="dot-pips" aria-hidden="true">
            {Array.from({ length: cap }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the pips are positions, not data
              <span key={i} className={i < dots ? 'pip is-on' : 'pip'} />
            ))}
          </span>
          <span className="dot-number">
            {dots}
            <span className="visually-hidden"> dots on “{title}”</span>
          </span>
        </output>
        <button
          type="button"
          className="button button-small button-secondary dot-button"
          onClick={() => press(1, whyNotMore)}
          aria-disabled={whyNotMore ? true : undefined}
          aria-label={`Put a dot on “${title}”`}
        >
          +
        </button>
      </div>
      <p className="dot-refusal" role="status">
        {refusal ? <span key={refusal.count}>{refusal.text}</span> : null}
      </p>
      <CommandError error={command.error} />
    </div>
  );
}
