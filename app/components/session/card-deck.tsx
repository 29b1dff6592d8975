import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { CoffeeIcon } from './icons';

/** How a card reads aloud and on screen: "coffee" is a cup, "?" says what it means. */
export function cardText(value: string): { face: ReactNode; name: string } {
  if (value === 'coffee') return { face: <CoffeeIcon />, name: 'Coffee break' };
  if (value === '?') return { face: '?', name: 'Not sure (?)' };
  return { face: value, name: value };
}

/** Where a key moves the focus in a row of `count` cards, or null for keys the deck leaves alone. */
function targetOf(key: string, focus: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return focus + 1;
    case 'ArrowLeft':
    case 'ArrowUp':
      return focus - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The deck as a row of toggle buttons. One tab stop for the whole deck: arrow keys (and Home/End) move between
 * cards, Enter or Space plays the focused card; the card you played stays pressed. Playing another card
 * replaces yours until the reveal.
 */
export function CardDeck({
  cards,
  selected,
  disabled,
  onPlay,
  labelledBy,
}: {
  cards: readonly string[];
  selected: string | null;
  disabled: boolean;
  onPlay: (value: string) => void;
  labelledBy: string;
}) {
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const [focus, setFocus] = useState(() => Math.max(0, selected ? cards.indexOf(selected) : 0));
  const move = (to: number) => {
    const next = (to + cards.length) % cards.length;
    setFocus(next);
    buttons.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const to = targetOf(event.key, focus, cards.length);
    if (to === null) return;
    event.preventDefault();
    move(to);
  };
  return (
    <div
      role="toolbar"
      aria-labelledby={labelledBy}
      aria-orientation="horizontal"
      className="card-deck"
      onKeyDown={onKeyDown}
    >
      {cards.map((value, i) => {
        const { face, name } = cardText(value);
        const played = value === selected;
        return (
          <button
            key={value}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            className={`poker-card${played ? ' is-played' : ''}${value === 'coffee' || value === '?' ? ' is-special' : ''}`}
            aria-pressed={played}
            aria-label={name === value ? undefined : name}
            tabIndex={i === focus ? 0 : -1}
            disabled={disabled}
            onFocus={() => setFocus(i)}
            onClick={() => onPlay(value)}
          >
            {face}
          </button>
        );
      })}
    </div>
  );
}
