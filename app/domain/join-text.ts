/**
 * What the join page promises a guest, from what the session really asks of them: a dots-only session does not
 * promise scoring, a WSJF one does not promise dots. Plain text; the session's title is never part of it.
 */

const whatEachMethodAsks: Record<string, string> = {
  dots: 'place dots on the items that matter most to you',
  wsjf: 'score each item’s cost of delay (WSJF)',
  businessValue: 'give each item a business value from 1 to 10',
  moscow: 'say whether each item is a must, should, could or won’t have',
  kano: 'answer two short questions about each item (Kano)',
};

/** "a", "a and b", "a, b and c" */
export function inWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function joinIntro(
  kind: string,
  settings: { methods?: readonly string[]; anonymous?: boolean; guestsEstimate?: boolean },
): string {
  if (kind === 'refinement')
    return settings.guestsEstimate
      ? 'You will follow the refinement live: the item being discussed, its acceptance criteria and the planning poker round. You can raise your hand, ask questions and estimate with the team; nobody sees your card before the reveal.'
      : 'You will follow the refinement live: the item being discussed, its acceptance criteria and the planning poker round. You can raise your hand and ask questions; the facilitator may let guests estimate.';
  if (kind === 'review')
    return 'You will follow the sprint review live: each finished item, its acceptance criteria and whether they are met, and you can give feedback on each item.';
  if (kind !== 'prioritisation') return 'You will take part in this session as a guest.';
  const asks = (settings.methods ?? []).map((m) => whatEachMethodAsks[m]).filter(Boolean);
  const task = asks.length > 0 ? `You will ${inWords(asks)}.` : 'You will vote on the items on the agenda.';
  const secrecy = settings.anonymous
    ? 'Nobody sees your votes before the facilitator reveals the results, and the results never say who voted what.'
    : 'Nobody sees your votes before the facilitator reveals the results.';
  return `${task} ${secrecy}`;
}

/** The voting bar's line while voting is open: what to do, for this session's methods only. */
export function openVotingText(methods: readonly string[]): string {
  const dots = methods.includes('dots');
  const scores = methods.some((m) => m !== 'dots');
  const what = dots && scores ? 'your dots and scores' : dots ? 'your dots' : 'your scores';
  return `Voting is open: place ${what}. You can change them until voting closes.`;
}
