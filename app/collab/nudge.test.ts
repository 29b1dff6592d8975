import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { nudgedIn, readNudge } from './nudge';

describe('a nudge in the session document', () => {
  const docWith = (value: unknown) => {
    const doc = new Y.Doc();
    doc.getMap('session').set('nudge', value);
    return doc;
  };
  const nudge = { id: 'n1', roundId: 'r1', itemId: 'i1', participantIds: ['p1', 'p2'], at: 1 };

  it('reads a nudge, and anything malformed as none', () => {
    expect(readNudge(docWith(nudge))).toEqual(nudge);
    expect(readNudge(new Y.Doc())).toBeNull();
    expect(readNudge(docWith('hello'))).toBeNull();
    expect(readNudge(docWith({ ...nudge, participantIds: 'p1' }))).toBeNull();
    expect(readNudge(docWith({ ...nudge, participantIds: ['p1', 7] }))?.participantIds).toEqual(['p1']);
  });

  it('asks only the people it names, and only in the round it was given in', () => {
    expect(nudgedIn(nudge, 'r1', 'p1')).toBe(true);
    expect(nudgedIn(nudge, 'r1', 'p3')).toBe(false);
    expect(nudgedIn(nudge, 'r2', 'p1')).toBe(false);
    expect(nudgedIn(nudge, null, 'p1')).toBe(false);
    expect(nudgedIn(null, 'r1', 'p1')).toBe(false);
  });
});
