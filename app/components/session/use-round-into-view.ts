import { type RefObject, useEffect } from 'react';

/** Moments after a round opens at which the deck is looked at again, while the room's layout settles. */
const settleChecks = [120, 400, 1000, 2500];
/** Anything the person does that says they chose where to look. */
const userMoves = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;

function typing(): boolean {
  const active = document.activeElement as HTMLElement | null;
  return (
    !!active && (active.isContentEditable || active.tagName === 'INPUT' || active.tagName === 'TEXTAREA')
  );
}

/**
 * A round that opens while the deck is out of this person's view (scrolled away, a short window) brings the round
 * into view, unless they are typing somewhere. The room moves the panel above the grid when a round opens, and the
 * item's text, the agenda and the browser's scroll anchoring may shift the page for a moment after; so the deck is
 * looked at again while the layout settles, until the person scrolls, types or clicks themselves.
 */
export function useRoundIntoView(panel: RefObject<HTMLElement>, openRoundId: string | null): void {
  useEffect(() => {
    if (!openRoundId) return;
    let chosen = false;
    const choose = () => {
      chosen = true;
    };
    const bringIntoView = () => {
      const element = panel.current;
      if (chosen || !element || typing()) return;
      const box = (element.querySelector('.card-deck') ?? element).getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) element.scrollIntoView({ block: 'start' });
    };
    for (const name of userMoves) window.addEventListener(name, choose, { capture: true, passive: true });
    bringIntoView();
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(bringIntoView);
    });
    const timers = settleChecks.map((ms) => setTimeout(bringIntoView, ms));
    return () => {
      for (const name of userMoves) window.removeEventListener(name, choose, { capture: true });
      cancelAnimationFrame(frame);
      for (const timer of timers) clearTimeout(timer);
    };
  }, [panel, openRoundId]);
}
