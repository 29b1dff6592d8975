import { useMemo } from 'react';
import type { RoundData } from '~/components/session/poker-panel';
import { liveRevealedRound, liveRoundVoted } from './public-state';
import type { LivePublicState } from './use-live-session';

/**
 * The poker rounds of the current item as a room shows them: from the room's data, with who has voted in the open
 * round taken from the live state when that is newer (votes do not reload rooms), and the round's cards as soon as
 * the live state says it was revealed (the reload that follows brings the same). Before the reveal the live state
 * carries no card, only who has voted.
 */
export function useLiveRounds<R extends RoundData>(
  loadedRounds: R[] | undefined,
  live: LivePublicState,
  loadedAt: number,
): R[] {
  return useMemo(() => {
    const [latest, ...earlier] = loadedRounds ?? [];
    if (!latest) return loadedRounds ?? [];
    const revealed = liveRevealedRound(latest, live.state, loadedAt, live.at);
    if (revealed) return [revealed, ...earlier];
    const liveVoted = liveRoundVoted(latest, live.state, loadedAt, live.at);
    return liveVoted === latest.voted ? loadedRounds! : [{ ...latest, voted: liveVoted ?? [] }, ...earlier];
  }, [loadedRounds, live, loadedAt]);
}
