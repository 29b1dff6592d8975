import { describe, expect, it } from 'vitest';
import { colorFor, maxPresenceBytes, vouchPresence } from './presence';

const item = { kind: 'item', userId: 'u-1', name: 'Tom Dev', readOnly: false } as const;

describe('vouchPresence', () => {
  it('replaces whatever user an item client claims with the account it connected with', () => {
    const verdict = vouchPresence(
      { user: { id: 'u-2', name: 'Olivia PO', color: '#000' }, field: 'criteria', typing: true },
      item,
    );
    expect(verdict).toEqual({
      ok: true,
      state: {
        user: { id: 'u-1', name: 'Tom Dev', color: colorFor('u-1'), readOnly: false },
        field: 'criteria',
        typing: true,
      },
    });
  });

  it('keeps a writer’s caret and drops a reader’s, and drops fields the editor does not use', () => {
    const cursor = { anchor: { type: null }, head: { type: null } };
    const writer = vouchPresence({ user: {}, cursor, field: 'elsewhere', script: '<img>' }, item);
    expect(writer.ok && writer.state).toEqual({
      user: expect.any(Object),
      field: null,
      typing: false,
      cursor,
    });
    const reader = vouchPresence({ user: {}, cursor }, { ...item, readOnly: true });
    expect(reader.ok && reader.state.cursor).toBeUndefined();
  });

  it('refuses a state over the cap, and anything that is not an object', () => {
    expect(vouchPresence({ user: { name: 'x'.repeat(maxPresenceBytes) } }, item)).toEqual({
      ok: false,
      reason: 'too-large',
    });
    expect(vouchPresence('hello', item)).toEqual({ ok: false, reason: 'not-an-object' });
    expect(vouchPresence([1, 2], item)).toEqual({ ok: false, reason: 'not-an-object' });
  });

  it('in a session room shows only the participation the server knows, and nobody for someone who has not joined', () => {
    const claimed = { user: { participantId: 'someone-else', name: 'The product owner' }, extra: 1 };
    expect(
      vouchPresence(claimed, { kind: 'session', participant: { id: 'p-1', name: 'Guest Gus' } }),
    ).toEqual({
      ok: true,
      state: { user: { participantId: 'p-1', name: 'Guest Gus' } },
    });
    expect(vouchPresence(claimed, { kind: 'session', participant: null })).toEqual({
      ok: true,
      state: { user: null },
    });
  });

  it('lets nothing through in product documents', () => {
    expect(vouchPresence({ user: { name: 'x' } }, { kind: 'product' })).toEqual({ ok: true, state: {} });
  });
});
