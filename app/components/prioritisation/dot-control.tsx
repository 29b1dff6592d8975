import { CommandError, useSessionCommand } from '~/components/session/use-session-command';

/**
 * Dots on one item: − and + buttons (keyboard operable, labelled with the item) around the count. The server
 * enforces the budget and the cap; the buttons only spare people a refusal they can see coming.
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
  const set = (n: number) => command.submit({ itemId, dots: String(n) });
  return (
    <div className="dot-control">
      <span className="dot-label" id={`dots-label-${itemId}`}>
        Your dots
      </span>
      <div className="dot-buttons">
        <button
          type="button"
          className="button button-small button-secondary dot-button"
          onClick={() => set(dots - 1)}
          disabled={disabled || dots <= 0}
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
          onClick={() => set(dots + 1)}
          disabled={disabled || dots >= cap || left <= 0}
          aria-label={`Put a dot on “${title}”`}
        >
          +
        </button>
      </div>
      <CommandError error={command.error} />
    </div>
  );
}
