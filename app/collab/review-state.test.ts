import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { liveFeedback, liveReviewItems, readLiveReview, reviewMapName } from './review-state';

const line = (key: string, met: boolean | null) => ({
  line: key,
  label: `Line ${key}`,
  met,
  feedback: '',
  changedSinceTicked: false,
});
const item = (id: string, state: 'done' | 'accepted', lines = [line('a', null), line('b', true)]) => ({
  id,
  state,
  lines,
});
const live = (
  at: number,
  items: Record<string, { outcome: string | null; lines: Record<string, boolean>; changed?: string[] }>,
  sprintId = 's1',
  feedback: Array<{ id: string; text: string; itemId: string | null; author: string }> = [],
) => ({
  at,
  state: {
    sprintId,
    feedback,
    items: Object.fromEntries(
      Object.entries(items).map(([id, i]) => [
        id,
        { done: true, unfinished: null, outdated: [], changed: [], ...i },
      ]),
    ),
  },
});

describe('the review ticks a room shows', () => {
  it('draws the live ticks of items under review once they are newer than the room’s data', () => {
    const items = [item('i1', 'done'), item('i2', 'done')];
    const shown = liveReviewItems(
      items,
      's1',
      live(200, {
        i1: { outcome: null, lines: { a: false, b: true }, changed: [] },
        i2: { outcome: null, lines: { b: true } },
      }),
      100,
    );
    expect(shown[0].lines.map((l) => l.met)).toEqual([false, true]);
    // A tick taken back live: the line reads "not checked" again.
    expect(shown[1]).toBe(items[1]);
    const untick = liveReviewItems(items, 's1', live(200, { i1: { outcome: null, lines: {} } }), 100);
    expect(untick[0].lines.map((l) => l.met)).toEqual([null, null]);
  });

  it('marks lines changed since they were ticked', () => {
    const shown = liveReviewItems(
      [item('i1', 'done')],
      's1',
      live(200, { i1: { outcome: null, lines: { a: true }, changed: ['b'] } }),
      100,
    );
    expect(shown[0].lines.map((l) => [l.met, l.changedSinceTicked])).toEqual([
      [true, false],
      [null, true],
    ]);
  });

  it('keeps the room’s data when the live state is older, of another sprint, decided, or absent', () => {
    const items = [item('i1', 'done'), item('i2', 'accepted')];
    const ticks = { i1: { outcome: null, lines: { a: true } }, i2: { outcome: null, lines: {} } };
    expect(liveReviewItems(items, 's1', live(50, ticks), 100)).toBe(items);
    expect(liveReviewItems(items, 's1', live(200, ticks, 's0'), 100)).toBe(items);
    expect(liveReviewItems(items, 's1', null, 100)).toBe(items);
    expect(liveReviewItems(items, 's1', live(200, ticks), undefined)).toBe(items);
    // Decided live (accepted): the outcome comes with the reload; the ticks stay as loaded meanwhile.
    const decided = liveReviewItems(
      items,
      's1',
      live(200, { i1: { outcome: 'accepted', lines: { a: true } } }),
      100,
    );
    expect(decided).toBe(items);
    // An item already decided in the room's data is never redrawn from live ticks.
    expect(liveReviewItems(items, 's1', live(200, ticks), 100)[1]).toBe(items[1]);
  });

  it('adds the feedback notes the live document has and the room’s data not yet, keeping the data’s own fields', () => {
    type Note = {
      id: string;
      text: string;
      author: string;
      createdItem: { id: string; title: string } | null;
    };
    const loaded: Note[] = [{ id: 'n1', text: 'Nice', author: 'Sam', createdItem: { id: 'x', title: 'X' } }];
    const notes = [
      { id: 'n1', text: 'Nice', itemId: null, author: 'Sam' },
      { id: 'n2', text: 'Faster please', itemId: 'i1', author: 'Guest Ann' },
    ];
    const fresh = (n: (typeof notes)[number]): Note => ({
      id: n.id,
      text: n.text,
      author: n.author,
      createdItem: null,
    });
    expect(liveFeedback(loaded, 's1', live(200, {}, 's1', notes), 100, fresh)).toEqual([
      loaded[0],
      { id: 'n2', text: 'Faster please', author: 'Guest Ann', createdItem: null },
    ]);
    // The same notes, an older document, another sprint, or a document without feedback: the data stands.
    expect(liveFeedback(loaded, 's1', live(200, {}, 's1', notes.slice(0, 1)), 100, fresh)).toBe(loaded);
    expect(liveFeedback(loaded, 's1', live(50, {}, 's1', notes), 100, fresh)).toBe(loaded);
    expect(liveFeedback(loaded, 's1', live(200, {}, 's0', notes), 100, fresh)).toBe(loaded);
    const old = live(200, {}, 's1', notes);
    const withoutFeedback = { ...old, state: { ...old.state, feedback: undefined as never } };
    expect(liveFeedback(loaded, 's1', withoutFeedback, 100, fresh)).toBe(loaded);
  });

  it('reads the review map of a document, and nothing from one without it or with a malformed one', () => {
    const doc = new Y.Doc();
    expect(readLiveReview(doc)).toBeNull();
    const map = doc.getMap(reviewMapName);
    map.set('state', { sprintId: 's1', items: {} });
    expect(readLiveReview(doc)).toBeNull();
    map.set('change', { kind: 'line', at: 5 });
    expect(readLiveReview(doc)).toEqual({ state: { sprintId: 's1', items: {} }, at: 5 });
    map.set('state', 'nonsense');
    expect(readLiveReview(doc)).toBeNull();
  });
});
