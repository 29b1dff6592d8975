import { useMemo } from 'react';
import { liveRoundVoted } from './public-state';
import type { LivePublicState } from './use-live-session';

/**
 * The poker rounds of the current item as a room shows them: from the room's data, with who has voted in the open
 * round taken from the live state when that is newer (votes do not reload rooms). Never a card: the live state
 * carries only who has voted.
 */
export function useLiveRounds<R extends { id: string; revealed: boolean; voted: string[] }>(
  loadedRounds: R[] | undefined,
  live: LivePublicState,
  loadedAt: number,
): R[] {
  return useMemo(() => {
    const [latest, ...earlier] = loadedRounds ?? [];
    if (!latest) return loadedRounds ?? [];
    const liveVoted = liveRoundVoted(latest, live.state, loadedAt, live.at);
    return liveVoted === latest.voted ? loadedRounds! : [{ ...latest, voted: liveVoted ?? [] }, ...earlier];
  }, [loadedRounds, live, loadedAt]);
}
