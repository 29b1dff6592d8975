import type * as Y from 'yjs';

/**
 * A facilitator's reminder to the people who have not voted in an open poker round. Public: it names who has
 * not voted (the live state already says who has), never a card. It sits in the session document's `session`
 * map under `nudge`; each room shows it only to the people it names, while that round is open.
 */
export interface PokerNudge {
  id: string;
  roundId: string;
  itemId: string;
  participantIds: string[];
  at: number;
}

export const nudgeMapKey = 'nudge';

/** The last nudge in a session document, or null (anything malformed reads as none). */
export function readNudge(doc: Y.Doc): PokerNudge | null {
  const value = doc.getMap('session').get(nudgeMapKey) as Partial<PokerNudge> | undefined;
  if (!value || typeof value !== 'object') return null;
  if (typeof value.id !== 'string' || typeof value.roundId !== 'string' || typeof value.at !== 'number')
    return null;
  if (!Array.isArray(value.participantIds)) return null;
  return {
    id: value.id,
    roundId: value.roundId,
    itemId: String(value.itemId ?? ''),
    participantIds: value.participantIds.filter((id): id is string => typeof id === 'string'),
    at: value.at,
  };
}

/** Whether `participantId` is asked for a card by this nudge in the round now open (`roundId`, not revealed). */
export function nudgedIn(
  nudge: PokerNudge | null,
  roundId: string | null,
  participantId: string | null,
): boolean {
  return (
    nudge !== null &&
    roundId !== null &&
    participantId !== null &&
    nudge.roundId === roundId &&
    nudge.participantIds.includes(participantId)
  );
}
