/**
 * Definition of Ready: a per-product checklist. An item with an unmet check or an unresolved dependency is not
 * ready and stays out of sprint planning, unless the PO overrides with a written reason.
 */
import { z } from 'zod';

export interface ChecklistItem {
  id: string;
  text: string;
}

export const checklistItemSchema = z.object({
  id: z
    .string()
    .trim()
    .min(1, 'Each checklist item needs an id')
    .max(64, 'Checklist ids are at most 64 characters'),
  text: z
    .string()
    .trim()
    .min(1, 'A checklist item cannot be empty')
    .max(200, 'A checklist item is at most 200 characters'),
});

/** Ids must be unique: items' checked state is keyed by id, so a duplicate would tick two lines at once. */
export const checklistSchema = z
  .array(checklistItemSchema)
  .min(1, 'A checklist needs at least one item')
  .max(30, 'A checklist has at most 30 items')
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', message: `Duplicate checklist id "${item.id}"`, path: [i, 'id'] });
      seen.add(item.id);
    });
  });

/** A reason of only spaces is no reason: the decision log has to say why. */
export const overrideReasonSchema = z
  .string()
  .trim()
  .min(1, 'Say why the item is ready anyway')
  .max(500, 'The reason is at most 500 characters');

export interface ReadinessInput {
  checklist: readonly ChecklistItem[];
  checked: Readonly<Record<string, boolean>>;
  unresolvedDependencies: number;
  override?: { reason: string } | null;
}

export interface Readiness {
  ready: boolean;
  met: number;
  total: number;
  /** texts of the unchecked items, in checklist order */
  missing: string[];
  blockedByDependencies: boolean;
  /** true only when the override is what makes the item ready; an unneeded override changes nothing */
  overridden: boolean;
}

export function evaluateReadiness(input: ReadinessInput): Readiness {
  // only the current checklist counts: checks for removed lines are stale and ignored
  const missing = input.checklist.filter((c) => input.checked[c.id] !== true).map((c) => c.text);
  const total = input.checklist.length;
  const blockedByDependencies = input.unresolvedDependencies > 0;
  const satisfied = missing.length === 0 && !blockedByDependencies;
  const overridden = !satisfied && (input.override?.reason ?? '').trim().length > 0;
  return {
    ready: satisfied || overridden,
    met: total - missing.length,
    total,
    missing,
    blockedByDependencies,
    overridden,
  };
}

/** The two Definitions a product keeps: of Ready (for planning) and of Done (for the review). */
export const definitionKinds = ['ready', 'done'] as const;
export type DefinitionKind = (typeof definitionKinds)[number];

export const definitionNames: Record<DefinitionKind, string> = {
  ready: 'Definition of Ready',
  done: 'Definition of Done',
};
