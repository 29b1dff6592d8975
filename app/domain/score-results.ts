/**
 * Results of a scoring round: per item and per part the (weighted) mean, the median and the spread across
 * scorers, the items stakeholders disagree on most, and the proposed order. Pure; the server feeds it the
 * revealed scores.
 */
import { type KanoAnswer, type KanoCategory, kanoCategory, kanoSummary } from './kano';
import { type Moscow, moscowValues } from './moscow';
import { equalWsjfWeights, type WsjfWeights, weightedWsjfScore } from './wsjf';

/** Numeric parts: the three Cost-of-Delay parts and job size of WSJF, and business value (1 to 10). */
export const numericParts = [
  'userBusinessValue',
  'timeCriticality',
  'riskReduction',
  'jobSize',
  'businessValue',
] as const;
export type NumericPart = (typeof numericParts)[number];

export interface Score {
  participantId: string;
  itemId: string;
  part: NumericPart | 'moscow' | 'kanoFunctional' | 'kanoDysfunctional';
  value: string;
}

export interface PartStats {
  count: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  /** max − min: the plainest measure, and the one people read at a glance */
  spread: number;
  /** standard deviation relative to the mean (0 = full agreement) */
  variation: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Weighted mean (weights default to 1), plain median, spread and coefficient of variation. */
export function partStats(values: ReadonlyArray<{ value: number; weight: number }>): PartStats | null {
  const usable = values.filter((v) => Number.isFinite(v.value) && v.weight > 0);
  if (usable.length === 0) return null;
  const totalWeight = usable.reduce((s, v) => s + v.weight, 0);
  const mean = usable.reduce((s, v) => s + v.value * v.weight, 0) / totalWeight;
  const sorted = usable.map((v) => v.value).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const variance = usable.reduce((s, v) => s + v.weight * (v.value - mean) ** 2, 0) / totalWeight;
  return {
    count: usable.length,
    mean: round2(mean),
    median,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    spread: sorted[sorted.length - 1] - sorted[0],
    variation: mean > 0 ? round2(Math.sqrt(variance) / mean) : 0,
  };
}

export interface ItemResults {
  itemId: string;
  parts: Partial<Record<NumericPart, PartStats>>;
  /** from the mean Cost-of-Delay parts and the job size (scored, or the item's estimate mapped by the caller) */
  wsjf: number | null;
  moscow: { counts: Record<Moscow, number>; top: Moscow | null };
  kano: { dominant: KanoCategory | null; counts: Record<KanoCategory, number> } | null;
  /** the largest variation over the Cost-of-Delay parts and business value */
  disagreement: number;
  /** among the items with the most disagreement (top third with variation ≥ 0.3) */
  contested: boolean;
}

const costOfDelay: NumericPart[] = ['userBusinessValue', 'timeCriticality', 'riskReduction', 'businessValue'];

/** In anonymous results, the fewest scorers a stakeholder group needs for its weight to apply. */
export const anonymousGroupMinimum = 3;

/** The rule in words, shown beside the weights and the results of anonymous sessions. */
export const anonymousWeightsRule = `Anonymous: a group’s weight applies only where at least ${anonymousGroupMinimum} of its members scored the item; smaller groups count like everyone else (weight 1).`;

/**
 * The weight of one participant's score among `scorers`, everyone who scored the same part of the same item.
 * Named results: their stakeholder group's weight (1 without a group). Anonymous results must not let weighted
 * sums be split back into single people's scores (with weights 1, 2 and 4 and one scorer each, every sum decodes),
 * so there a group's weight applies only when at least `anonymousGroupMinimum` of the scorers are in it, smaller
 * groups count 1; and when some scores are still weighted differently from one or two others, everyone counts 1.
 * Whatever can be taken apart is then the sum of at least three people.
 */
export function stakeholderWeight(
  participantId: string,
  scorers: readonly string[],
  groupOf: (participantId: string) => string | null,
  groupWeight: (group: string) => number | undefined,
  anonymous: boolean,
): number {
  const named = (id: string) => {
    const group = groupOf(id);
    return group === null ? 1 : (groupWeight(group) ?? 1);
  };
  if (!anonymous) return named(participantId);
  const unique = [...new Set(scorers)];
  const size = new Map<string | null, number>();
  for (const id of unique) size.set(groupOf(id), (size.get(groupOf(id)) ?? 0) + 1);
  const effective = (id: string) => {
    const group = groupOf(id);
    return group !== null && (size.get(group) ?? 0) >= anonymousGroupMinimum ? named(id) : 1;
  };
  const classes = new Map<number, number>();
  for (const id of unique) classes.set(effective(id), (classes.get(effective(id)) ?? 0) + 1);
  if (classes.size > 1 && [...classes.values()].some((n) => n < anonymousGroupMinimum)) return 1;
  return effective(participantId);
}

/**
 * @param weightOf the weight of a participant's score, given everyone who scored the same item and part (their
 *   stakeholder group's weight, see `stakeholderWeight`; 1 by default)
 * @param jobSizeOf job size for an item nobody scored it for (e.g. from its estimate), or null
 * @param partWeights how much each Cost-of-Delay part counts in WSJF, as the product's stakeholders agreed (issue
 *   17); 1 each is plain WSJF
 */
export function scoreResults(
  agenda: readonly string[],
  scores: readonly Score[],
  weightOf: (participantId: string, scorers: readonly string[]) => number = () => 1,
  jobSizeOf: (itemId: string) => number | null = () => null,
  partWeights: WsjfWeights = equalWsjfWeights,
): ItemResults[] {
  const results = agenda.map((itemId): ItemResults => {
    const mine = scores.filter((s) => s.itemId === itemId);
    const parts: ItemResults['parts'] = {};
    for (const part of numericParts) {
      const given = mine.filter((s) => s.part === part);
      const scorers = given.map((s) => s.participantId);
      const stats = partStats(
        given.map((s) => ({ value: Number(s.value), weight: weightOf(s.participantId, scorers) })),
      );
      if (stats) parts[part] = stats;
    }
    const moscowCounts = Object.fromEntries(moscowValues.map((m) => [m, 0])) as Record<Moscow, number>;
    const moscowScores = mine.filter((s) => s.part === 'moscow' && s.value in moscowCounts);
    const moscowScorers = moscowScores.map((s) => s.participantId);
    for (const s of moscowScores) moscowCounts[s.value as Moscow] += weightOf(s.participantId, moscowScorers);
    const topCount = Math.max(...Object.values(moscowCounts));
    const kanoPairs = new Map<string, { functional?: KanoAnswer; dysfunctional?: KanoAnswer }>();
    for (const s of mine) {
      if (s.part !== 'kanoFunctional' && s.part !== 'kanoDysfunctional') continue;
      const pair = kanoPairs.get(s.participantId) ?? {};
      pair[s.part === 'kanoFunctional' ? 'functional' : 'dysfunctional'] = s.value as KanoAnswer;
      kanoPairs.set(s.participantId, pair);
    }
    const complete = [...kanoPairs.values()].filter(
      (p): p is { functional: KanoAnswer; dysfunctional: KanoAnswer } => !!p.functional && !!p.dysfunctional,
    );
    const kano = complete.length > 0 ? kanoSummary(complete) : null;
    const jobSize = parts.jobSize?.mean ?? jobSizeOf(itemId);
    return {
      itemId,
      parts,
      wsjf: weightedWsjfScore(
        {
          userBusinessValue: parts.userBusinessValue?.mean,
          timeCriticality: parts.timeCriticality?.mean,
          riskReduction: parts.riskReduction?.mean,
          jobSize,
        },
        partWeights,
      ),
      moscow: {
        counts: moscowCounts,
        top: topCount > 0 ? moscowValues.find((m) => moscowCounts[m] === topCount)! : null,
      },
      kano: kano ? { dominant: kano.dominant, counts: kano.counts } : null,
      disagreement: Math.max(0, ...costOfDelay.map((p) => parts[p]?.variation ?? 0)),
      contested: false,
    };
  });
  const contested = contestedFlags(results.map((r) => r.disagreement));
  return results.map((r, i) => ({ ...r, contested: contested[i] }));
}

/** Which items are contested: the top third by disagreement (at least one), among those with a variation ≥ 0.3. */
export function contestedFlags(disagreements: readonly number[]): boolean[] {
  const ranked = disagreements
    .map((d, i) => ({ d, i }))
    .filter((r) => r.d >= 0.3)
    .sort((a, b) => b.d - a.d);
  const flags = disagreements.map(() => false);
  for (const r of ranked.slice(0, Math.max(1, Math.ceil(disagreements.length / 3)))) flags[r.i] = true;
  return flags;
}

export const orderMethods = ['dots', 'wsjf', 'combined'] as const;
export type OrderMethod = (typeof orderMethods)[number];

/**
 * The proposed order of the agenda items: by dots, by the session's WSJF, or combined (the mean of an item's
 * places in both orders). Ties and unscored items keep their current backlog order (`current`, top first).
 */
export function proposedSessionOrder(
  method: OrderMethod,
  current: readonly string[],
  dots: ReadonlyMap<string, number>,
  wsjf: ReadonlyMap<string, number | null>,
): string[] {
  const place = new Map(current.map((id, i) => [id, i]));
  const byDots = [...current].sort(
    (a, b) => (dots.get(b) ?? 0) - (dots.get(a) ?? 0) || place.get(a)! - place.get(b)!,
  );
  const byWsjf = [...current].sort((a, b) => {
    const x = wsjf.get(a) ?? null;
    const y = wsjf.get(b) ?? null;
    if (x === null && y === null) return place.get(a)! - place.get(b)!;
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x || place.get(a)! - place.get(b)!;
  });
  if (method === 'dots') return byDots;
  if (method === 'wsjf') return byWsjf;
  const dotPlace = new Map(byDots.map((id, i) => [id, i]));
  const wsjfPlace = new Map(byWsjf.map((id, i) => [id, i]));
  const combined = (id: string) => dotPlace.get(id)! + wsjfPlace.get(id)!;
  return [...current].sort((a, b) => combined(a) - combined(b) || place.get(a)! - place.get(b)!);
}

export { kanoCategory };
