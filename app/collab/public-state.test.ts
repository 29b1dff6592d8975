import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PublicSessionState } from '~/services/sessions/live.server';
import { tally } from '~/domain/poker';
import {
  liveRevealedRound,
  liveRoundVoted,
  liveSessionFields,
  liveTimer,
  liveVoting,
  readPublicState,
  roomNeedsReload,
  writePublicState,
} from './public-state';

const participants = Array.from({ length: 200 }, (_, i) => ({
  id: `p${i}`,
  userId: null,
  name: `Guest number ${i}`,
  spectator: false,
  handRaisedAt: null,
}));

const state = (voted: string[]): PublicSessionState => ({
  phase: 'voting',
  state: 'running',
  currentItemId: null,
  facilitatorId: 'f',
  timer: null,
  participants,
  round: null,
  voting: {
    state: 'open',
    revealed: false,
    guestsAllowed: true,
    voterCount: voted.length,
    voted,
    totals: null,
  },
});

describe('the public state in the live document', () => {
  it('is written field by field: a vote sends who has voted, not the participant list again', () => {
    const server = new Y.Doc();
    const room = new Y.Doc();
    const sizes: number[] = [];
    server.on('update', (update: Uint8Array) => {
      sizes.push(update.length);
      Y.applyUpdate(room, update);
    });
    server.transact(() => writePublicState(server, state([])));
    const first = sizes.at(-1)!;
    server.transact(() => writePublicState(server, state(['p1'])));
    const vote = sizes.at(-1)!;
    expect(readPublicState(room)).toEqual(state(['p1']));
    expect(first).toBeGreaterThan(8000);
    expect(vote).toBeLessThan(300);
    // Nothing changed: nothing is sent.
    const count = sizes.length;
    server.transact(() => writePublicState(server, state(['p1'])));
    expect(sizes.length).toBe(count);
  });

  it('reads a document written as one object (before field-by-field), and nothing from an empty one', () => {
    const doc = new Y.Doc();
    expect(readPublicState(doc)).toBeNull();
    doc.getMap('session').set('state', state(['p2']));
    expect(readPublicState(doc)?.voting?.voted).toEqual(['p2']);
    doc.transact(() => writePublicState(doc, state(['p2', 'p3'])));
    expect(readPublicState(doc)?.voting?.voted).toEqual(['p2', 'p3']);
  });
});

describe('which changes reload a room', () => {
  const open = state(['p1']);
  it('not a vote before the reveal: the live state says who has voted', () => {
    expect(roomNeedsReload({ kind: 'castDots' }, open)).toBe(false);
    expect(roomNeedsReload({ kind: 'submitScores' }, open)).toBe(false);
    const round = { id: 'r', itemId: 'i', number: 1, deck: 'fibonacci', revealed: false, voted: ['p1'] };
    expect(roomNeedsReload({ kind: 'castEstimate' }, { ...open, round })).toBe(false);
  });

  it('a vote that revealed the round (auto-reveal), any other change, and anything unreadable', () => {
    const round = { id: 'r', itemId: 'i', number: 1, deck: 'fibonacci', revealed: true, voted: ['p1'] };
    expect(roomNeedsReload({ kind: 'castEstimate' }, { ...open, round })).toBe(true);
    expect(roomNeedsReload({ kind: 'castEstimate' }, open)).toBe(true);
    expect(roomNeedsReload({ kind: 'castDots' }, null)).toBe(true);
    for (const kind of ['join', 'revealResults', 'openVoting', 'setCurrentItem', 'revealEstimates']) {
      expect(roomNeedsReload({ kind }, open)).toBe(true);
    }
    expect(roomNeedsReload(undefined, open)).toBe(true);
  });
});

describe('who has voted, from the newer of the room data and the live state', () => {
  const loaded = { state: 'open', revealed: false, voterCount: 1, voted: ['p1'], guestsAllowed: true };

  it('takes the live voters when they were written after the data was read, for the same open vote', () => {
    expect(liveVoting(loaded, state(['p1', 'p2']), 100, 200)).toEqual({
      ...loaded,
      voterCount: 2,
      voted: ['p1', 'p2'],
    });
    // Older than the data on screen: the data wins.
    expect(liveVoting(loaded, state([]), 300, 200)).toBe(loaded);
    expect(liveVoting(loaded, state(['p1', 'p2']), 100, undefined)).toBe(loaded);
    expect(liveVoting(null, state(['p1']), 100, 200)).toBeNull();
  });

  it('shows the vote opened or closed as soon as the live state has it, but a reveal only from the room data', () => {
    const notOpen = { ...loaded, state: 'not_open', voterCount: 0, voted: [] };
    expect(liveVoting(notOpen, state([]), 100, 200)).toMatchObject({ state: 'open', revealed: false });
    const closed = { ...state(['p1', 'p2']), voting: { ...state(['p1', 'p2']).voting!, state: 'closed' } };
    expect(liveVoting(loaded, closed, 100, 200)).toMatchObject({ state: 'closed', voterCount: 2 });
    // Older than the room's data: the data stands.
    expect(liveVoting(notOpen, state([]), 300, 200)).toBe(notOpen);
    // Revealed live: the results come with the room's reload; until then its data stands.
    const revealed = { ...state(['p1']), voting: { ...state(['p1']).voting!, revealed: true } };
    expect(liveVoting(loaded, revealed, 100, 200)).toBe(loaded);
    expect(liveVoting({ ...loaded, revealed: true }, state(['p1']), 100, 200)).toMatchObject({
      revealed: true,
    });
  });

  it('takes the live poker voters of the same open round only', () => {
    const round = { id: 'r1', revealed: false, voted: ['a'] };
    const live = (id: string, revealed: boolean, voted: string[]) => ({
      ...state([]),
      round: { id, itemId: 'i', number: 1, deck: 'fibonacci', revealed, voted },
    });
    expect(liveRoundVoted(round, live('r1', false, ['a', 'b']), 100, 200)).toEqual(['a', 'b']);
    expect(liveRoundVoted(round, live('r0', false, ['x']), 100, 200)).toEqual(['a']);
    expect(liveRoundVoted(round, live('r1', true, ['a', 'b']), 100, 200)).toEqual(['a']);
    expect(liveRoundVoted(round, live('r1', false, []), 300, 200)).toEqual(['a']);
    expect(liveRoundVoted(null, live('r1', false, []), 100, 200)).toBeNull();
  });

  it('shows the round revealed, with its cards, names and tally, as soon as the live state has the reveal', () => {
    const open = {
      id: 'r1',
      number: 2,
      deck: 'fibonacci',
      revealed: false,
      committedValue: null,
      voted: ['p1', 'p2'],
      myValue: '5',
      votes: null,
      tally: null,
    };
    const revealed = (votes: Array<{ participantId: string; value: string }> | null, id = 'r1') => ({
      ...state([]),
      round: { id, itemId: 'i', number: 2, deck: 'fibonacci', revealed: true, voted: ['p1', 'p2'], votes },
    });
    const cards = [
      { participantId: 'p2', value: '8' },
      { participantId: 'p1', value: '5' },
    ];
    const shown = liveRevealedRound(open, revealed(cards), 100, 200);
    expect(shown?.revealed).toBe(true);
    expect(shown?.votes).toEqual([
      { participantId: 'p2', value: '8', name: 'Guest number 2' },
      { participantId: 'p1', value: '5', name: 'Guest number 1' },
    ]);
    expect(shown?.tally).toEqual(tally('fibonacci', ['8', '5']));
    expect(shown?.myValue).toBe('5');
    // Not that round, older than the data, no cards in the document (an older server), or already revealed: the
    // room's data stands.
    expect(liveRevealedRound(open, revealed(cards, 'r0'), 100, 200)).toBeNull();
    expect(liveRevealedRound(open, revealed(cards), 300, 200)).toBeNull();
    expect(liveRevealedRound(open, revealed(null), 100, 200)).toBeNull();
    expect(liveRevealedRound({ ...open, revealed: true }, revealed(cards), 100, 200)).toBeNull();
    // Before the reveal the live state has no cards to show.
    const stillOpen = { ...state([]), round: { ...revealed(null).round, revealed: false } };
    expect(liveRevealedRound(open, stillOpen, 100, 200)).toBeNull();
  });
});

describe('the phase and the current item a room shows', () => {
  const loaded = { phase: 'refining', currentItemId: 'i1', title: 'Refinement' };
  const live = { ...state([]), phase: 'wrap_up', currentItemId: 'i2' };
  it('follows the live state once it was written after the room’s data was read', () => {
    expect(liveSessionFields(loaded, live, 100, 200)).toEqual({
      phase: 'wrap_up',
      currentItemId: 'i2',
      title: 'Refinement',
    });
    expect(liveSessionFields(loaded, { ...live, currentItemId: null }, 100, 100)).toMatchObject({
      currentItemId: null,
    });
  });
  it('keeps the room’s data when the live state is older, not there, or the same', () => {
    expect(liveSessionFields(loaded, live, 300, 200)).toBe(loaded);
    expect(liveSessionFields(loaded, null, 100, undefined)).toBe(loaded);
    expect(liveSessionFields(loaded, { ...live, phase: 'refining', currentItemId: 'i1' }, 100, 200)).toBe(
      loaded,
    );
  });
});

describe('the timer a room shows', () => {
  const timer = { endsAt: 5_000_000, seconds: 600 };
  it('follows the live state once it is at least as new as the room’s data', () => {
    const started = { ...state([]), timer };
    expect(liveTimer(null, started, 1000, 1000)).toEqual(timer);
    expect(liveTimer(null, started, 1000, 2000)).toEqual(timer);
    // Stopped live: off, though the room's data still has it running.
    expect(liveTimer(timer, state([]), 1000, 1500)).toBeNull();
  });
  it('keeps the room’s data while the live state is older or not there yet', () => {
    expect(liveTimer(timer, state([]), 2000, 1000)).toEqual(timer);
    expect(liveTimer(timer, null, 2000, undefined)).toEqual(timer);
    expect(liveTimer(null, { ...state([]), timer }, 2000, undefined)).toBeNull();
  });
});
