import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PublicSessionState } from '~/services/sessions/live.server';
import {
  liveRoundVoted,
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
    // Another vote state (closed meanwhile): the room reloads for that; until then its data stands.
    const closed = { ...state(['p1', 'p2']), voting: { ...state(['p1', 'p2']).voting!, state: 'closed' } };
    expect(liveVoting(loaded, closed, 100, 200)).toBe(loaded);
    expect(liveVoting(null, state(['p1']), 100, 200)).toBeNull();
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
