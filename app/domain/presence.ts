/**
 * Presence (Yjs awareness) as the server lets it through: every client receives every other client's state, so
 * the server vouches for who a state belongs to, keeps only the fields each kind of document uses, and caps its
 * size (decision record 0019). Pure: the collab server supplies the identity of the connection.
 */

/**
 * Colours for people's carets and names, each dark enough for white text (contrast ≥ 4.5:1). The same list is in
 * app/styles/live-text.css as the classes live-color-0 … live-color-8 (nine hues far apart), so no colour needs an inline style.
 */
export const presenceColors = [
  '#1d4ed8',
  '#b42318',
  '#067647',
  '#7e22ce',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
  '#a16207',
  '#334155',
] as const;

/** The same colour for a person everywhere and every time, from their id. */
export function colorFor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (Math.imul(h, 31) + userId.charCodeAt(i)) >>> 0;
  return presenceColors[h % presenceColors.length];
}

/** The largest presence state a client may announce, in bytes of JSON: a name, a colour and a caret fit many times. */
export const maxPresenceBytes = 4096;

/** Who a connection is, as the server knows it. */
export type PresenceIdentity =
  /** item text: the account, and whether the connection may write */
  | { kind: 'item'; userId: string; name: string; readOnly: boolean }
  /** a session room: the participation of the connection's account or guest link, if they joined */
  | { kind: 'session'; participant: { id: string; name: string } | null }
  /** product documents carry no presence */
  | { kind: 'product' };

export type PresenceVerdict =
  | { ok: true; state: Record<string, unknown> }
  | { ok: false; reason: 'too-large' | 'not-an-object' };

const textFields = new Set(['description', 'criteria']);

/**
 * The state others will see, or a refusal. Whatever the client claims as `user` is replaced by the identity the
 * server knows; fields a kind of document does not use are dropped.
 */
export function vouchPresence(
  state: unknown,
  identity: PresenceIdentity,
  limit = maxPresenceBytes,
): PresenceVerdict {
  if (typeof state !== 'object' || state === null || Array.isArray(state))
    return { ok: false, reason: 'not-an-object' };
  if (JSON.stringify(state).length > limit) return { ok: false, reason: 'too-large' };
  const claimed = state as Record<string, unknown>;
  switch (identity.kind) {
    case 'item': {
      const vouched: Record<string, unknown> = {
        user: {
          id: identity.userId,
          name: identity.name,
          color: colorFor(identity.userId),
          readOnly: identity.readOnly,
        },
        field: typeof claimed.field === 'string' && textFields.has(claimed.field) ? claimed.field : null,
        typing: claimed.typing === true,
      };
      // The caret (y-prosemirror's relative positions): only a writer has one.
      if (!identity.readOnly && typeof claimed.cursor === 'object') vouched.cursor = claimed.cursor;
      // A client without a user (not announced yet) stays without one.
      if (!claimed.user) vouched.user = null;
      return { ok: true, state: vouched };
    }
    case 'session': {
      const { participant } = identity;
      const present = participant && claimed.user;
      return {
        ok: true,
        state: {
          user: present ? { participantId: participant.id, name: participant.name } : null,
        },
      };
    }
    case 'product':
      return { ok: true, state: {} };
  }
}
