/** Sessions: kinds, phases and the time-box. Pure rules shared by the server and the room. */
export const sessionKinds = ['refinement', 'prioritisation', 'review', 'three_amigos'] as const;
export type SessionKind = (typeof sessionKinds)[number];

export const sessionKindLabels: Record<SessionKind, string> = {
  refinement: 'Refinement workshop',
  prioritisation: 'Prioritisation session',
  review: 'Sprint review',
  three_amigos: 'Three amigos',
};

/** The phases of each kind, in their usual order. The facilitator may move to any of them, back or forth. */
export const phasesOf: Record<SessionKind, readonly string[]> = {
  refinement: ['lobby', 'refining', 'estimating', 'wrap_up'],
  prioritisation: ['lobby', 'voting', 'results'],
  review: ['lobby', 'reviewing', 'wrap_up'],
  /** one story: the three talk it through until all three mark a shared understanding */
  three_amigos: ['lobby', 'discussing'],
};

export const phaseLabels: Record<string, string> = {
  lobby: 'Lobby',
  refining: 'Refining',
  estimating: 'Estimating',
  wrap_up: 'Wrap-up',
  voting: 'Voting',
  results: 'Results',
  reviewing: 'Reviewing',
  discussing: 'Discussing',
};

export type SessionState = 'planned' | 'running' | 'ended';

export function sessionState(session: { startedAt: Date | null; endedAt: Date | null }): SessionState {
  if (session.endedAt) return 'ended';
  return session.startedAt ? 'running' : 'planned';
}

/** Whole seconds left on a time-box (0 when it has run out); null when no timer runs. */
export function secondsLeft(timerEndsAt: Date | number | null, now = Date.now()): number | null {
  if (timerEndsAt === null) return null;
  const end = typeof timerEndsAt === 'number' ? timerEndsAt : timerEndsAt.getTime();
  return Math.max(0, Math.ceil((end - now) / 1000));
}

/** "4:05" for a countdown. */
export function formatCountdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
