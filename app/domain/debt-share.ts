/**
 * Technical debt with a fixed share (issue 18): a product keeps a percentage of each sprint for technical debt.
 * Planning compares the debt points planned with the share's points; metrics show, per closed sprint, the share
 * of the accepted points that were debt. Pure rules shared by the server and the pages.
 *
 * - The share's points are the share × the sprint's capacity when it has one (capacity is what the team said it
 *   can take; the planned points may be more or less), else × the points planned.
 * - Tolerance: "on share" when the debt is within `debtShareTolerance` percentage points of the share, measured
 *   on the same basis (20 % of 40 points with 5 points of tolerance: 6 to 10 points is on share).
 * - An item without an estimate is unknown, not 0: it is counted and said ("1 debt item not estimated"), and
 *   while an unknown could change the answer the status is `unknown`.
 */

export const debtItemType = 'tech_debt';

/** Percentage points either side of the share that still count as "on share". */
export const debtShareTolerance = 5;

/** The Settings form's intent, beside the Definitions' and the decks' forms on the same page. */
export const debtShareIntent = 'debt-share';

/** Longest debt impact text ("adds 2 days to every feature in checkout"). */
export const maxDebtImpactLength = 500;

export type DebtStatus = 'none' | 'under' | 'on' | 'over' | 'unknown';

export interface DebtPlanItem {
  type: string;
  estimate: number | null;
}

export interface DebtPlan {
  /** the share in percent, null when the product has none */
  share: number | null;
  /** what the share is taken of: the sprint's capacity, or the points planned */
  basis: 'capacity' | 'planned';
  /** the capacity or the planned points the share is taken of */
  basisPoints: number;
  /** estimated points of all items in the sprint */
  plannedPoints: number;
  /** estimated points of the debt items */
  debtPoints: number;
  debtItems: number;
  /** debt points as a whole percent of the planned points; null with nothing planned */
  debtPercent: number | null;
  /** the share's points (one decimal); null without a share */
  targetPoints: number | null;
  /** the points either side of the target still on share */
  tolerancePoints: number;
  status: DebtStatus;
  unestimatedDebt: number;
  unestimatedOther: number;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;
const isDebt = (type: string) => type === debtItemType;

function compare(points: number, target: number, tolerance: number): 'under' | 'on' | 'over' {
  // A tiny epsilon: 20 % of 35 is 7.000000000000001 in floating point.
  if (points < target - tolerance - 1e-9) return 'under';
  if (points > target + tolerance + 1e-9) return 'over';
  return 'on';
}

/** The debt planned in a sprint (its items in scope) against the product's share. */
export function plannedDebt(
  items: readonly DebtPlanItem[],
  share: number | null,
  capacity: number | null,
): DebtPlan {
  const debt = items.filter((i) => isDebt(i.type));
  const plannedPoints = items.reduce((sum, i) => sum + (i.estimate ?? 0), 0);
  const debtPoints = debt.reduce((sum, i) => sum + (i.estimate ?? 0), 0);
  const unestimatedDebt = debt.filter((i) => i.estimate === null).length;
  const unestimatedOther = items.filter((i) => !isDebt(i.type) && i.estimate === null).length;
  const basis = capacity !== null && capacity > 0 ? 'capacity' : 'planned';
  const basisPoints = basis === 'capacity' ? (capacity as number) : plannedPoints;
  const tolerancePoints = oneDecimal((basisPoints * debtShareTolerance) / 100);
  const targetPoints = share === null ? null : oneDecimal((basisPoints * share) / 100);
  let status: DebtStatus = 'none';
  if (targetPoints !== null) {
    const known = compare(debtPoints, targetPoints, tolerancePoints);
    // Unknown estimates that could change the answer: unestimated debt always (it can only add debt points);
    // on the planned basis any unestimated item, since it moves the share's points too.
    const unknowns = basis === 'capacity' ? unestimatedDebt : unestimatedDebt + unestimatedOther;
    if (unknowns === 0) status = known;
    // Over the capacity's share with what is known: more estimates only add debt points.
    else if (basis === 'capacity' && known === 'over') status = 'over';
    else status = 'unknown';
  }
  return {
    share,
    basis,
    basisPoints,
    plannedPoints,
    debtPoints,
    debtItems: debt.length,
    debtPercent: plannedPoints > 0 ? Math.round((debtPoints / plannedPoints) * 100) : null,
    targetPoints,
    tolerancePoints,
    status,
    unestimatedDebt,
    unestimatedOther,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "Technical debt: 5 of 40 points planned (12 %), share 20 % → 8 points", with what is not known said. */
export function debtPlanLine(plan: DebtPlan): string {
  const percent = plan.debtPercent === null ? '' : ` (${plan.debtPercent} %)`;
  const head = `Technical debt: ${plan.debtPoints} of ${plural(plan.plannedPoints, 'point')} planned${percent}`;
  const target =
    plan.share === null || plan.targetPoints === null
      ? ', no share set'
      : `, share ${plan.share} %${plan.basis === 'capacity' ? ` of the capacity (${plan.basisPoints})` : ''} → ${plural(plan.targetPoints, 'point')}`;
  const unknown = [
    plan.unestimatedDebt > 0 ? `${plural(plan.unestimatedDebt, 'debt item')} not estimated` : null,
    plan.unestimatedOther > 0 ? `${plural(plan.unestimatedOther, 'other item')} not estimated` : null,
  ].filter(Boolean);
  return `${head}${target}${unknown.length ? `; ${unknown.join(', ')}` : ''}`;
}

export const debtStatusLabels: Record<DebtStatus, string> = {
  none: 'No share set',
  under: 'Under the share',
  on: 'On share',
  over: 'Over the share',
  unknown: 'Not known yet',
};

export interface DeliveredItem {
  type: string;
  /** the points at review (null when it was not estimated) */
  points: number | null;
  outcome: 'accepted' | 'rejected' | null;
}

export interface DebtDelivered {
  share: number | null;
  acceptedPoints: number;
  debtPoints: number;
  /** accepted debt points as a whole percent of the accepted points; null when nothing was accepted */
  percent: number | null;
  status: DebtStatus;
  /** accepted items without an estimate (counted in neither figure) */
  unestimatedDebt: number;
  unestimatedOther: number;
}

/** Of a closed sprint: the share of the accepted points that were debt, against the share in force then. */
export function deliveredDebt(items: readonly DeliveredItem[], share: number | null): DebtDelivered {
  const accepted = items.filter((i) => i.outcome === 'accepted');
  const acceptedPoints = accepted.reduce((sum, i) => sum + (i.points ?? 0), 0);
  const debt = accepted.filter((i) => isDebt(i.type));
  const debtPoints = debt.reduce((sum, i) => sum + (i.points ?? 0), 0);
  const unestimatedDebt = debt.filter((i) => i.points === null).length;
  const unestimatedOther = accepted.filter((i) => !isDebt(i.type) && i.points === null).length;
  const percent = acceptedPoints > 0 ? Math.round((debtPoints / acceptedPoints) * 100) : null;
  let status: DebtStatus = 'none';
  if (share !== null) {
    if (acceptedPoints === 0 || unestimatedDebt + unestimatedOther > 0) status = 'unknown';
    else status = compare((debtPoints / acceptedPoints) * 100, share, debtShareTolerance);
  }
  return { share, acceptedPoints, debtPoints, percent, status, unestimatedDebt, unestimatedOther };
}

export interface ShareChange {
  at: Date;
  before: number | null;
  after: number | null;
}

/**
 * The share in force at a moment, from the decision log's changes (any order): the last change at or before it,
 * else what the first later change started from, else (never changed) the current share.
 */
export function shareInForce(
  changes: readonly ShareChange[],
  at: Date,
  current: number | null,
): number | null {
  const sorted = [...changes].sort((a, b) => a.at.getTime() - b.at.getTime());
  const last = sorted.findLast((c) => c.at.getTime() <= at.getTime());
  if (last) return last.after;
  const next = sorted.find((c) => c.at.getTime() > at.getTime());
  return next ? next.before : current;
}
