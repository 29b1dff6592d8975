/** MoSCoW prioritisation and the sort orders that turn scores into a proposed backlog order. */
import { z } from 'zod';
import { compareRanks } from './rank';

export const moscowValues = ['must', 'should', 'could', 'wont'] as const;
export type Moscow = (typeof moscowValues)[number];
export const moscowSchema = z.enum(moscowValues, { error: `Use one of ${moscowValues.join(', ')}` });

export const moscowLabels: Record<Moscow, string> = {
  must: 'Must have',
  should: 'Should have',
  could: 'Could have',
  wont: 'Won’t have (this time)',
};

export interface Sortable {
  moscow: Moscow | null;
  wsjf: number | null;
  /** the current rank: equal scores keep their current relative order, so a proposal never shuffles ties */
  rank: string;
}

/** Unscored sorts after everything scored: "not decided yet" must never outrank a decision. */
const moscowOrder = (m: Moscow | null) => (m === null ? moscowValues.length : moscowValues.indexOf(m));

/** Higher WSJF first, missing WSJF last, then current rank. */
export function compareWsjf(a: Omit<Sortable, 'moscow'>, b: Omit<Sortable, 'moscow'>): number {
  if (a.wsjf !== b.wsjf) {
    if (a.wsjf === null) return 1;
    if (b.wsjf === null) return -1;
    return b.wsjf - a.wsjf;
  }
  return compareRanks(a.rank, b.rank);
}

/** Must, should, could, won't, then unset; inside each group by WSJF (nulls last); then current rank. */
export function compareMoscowThenWsjf(a: Sortable, b: Sortable): number {
  return moscowOrder(a.moscow) - moscowOrder(b.moscow) || compareWsjf(a, b);
}
