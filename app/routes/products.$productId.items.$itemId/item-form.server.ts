import { z } from 'zod';
import { itemFieldsSchema, updateItemSchema } from '~/services/backlog/items.server';
import { errorsOnLists } from '~/utils/form-replies';
import { parseFormSubmission } from '~/utils/form-submission';

const shape = itemFieldsSchema.shape;

/** "Payments, mobile ,payments" → ["Payments", "mobile", "payments"]: the labels as one comma-separated text. */
const labelList = (text: string) => [
  ...new Set(
    text
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean),
  ),
];

/**
 * The item's edit form, with the item's own field rules (the API's, decision 0035) read as the form sends them:
 * an empty choice ("No epic", "Not scored") is none, an emptied text is empty (it clears the field), the labels
 * are one comma-separated text and the reason for the change may be left empty.
 */
export const itemFormSchema = z.object({
  title: shape.title,
  type: shape.type,
  parentId: shape.parentId.default(null),
  status: shape.status,
  estimate: shape.estimate,
  description: shape.description,
  labels: z.string().transform(labelList).pipe(shape.labels),
  moscow: shape.moscow.default(null),
  kano: shape.kano.default(null),
  userBusinessValue: shape.userBusinessValue.default(null),
  timeCriticality: shape.timeCriticality.default(null),
  riskReduction: shape.riskReduction.default(null),
  jobSize: shape.jobSize.default(null),
  impactHypothesis: shape.impactHypothesis,
  successMetric: shape.successMetric,
  outcome: shape.outcome.default(null),
  debtImpact: shape.debtImpact,
  readyOverrideReason: shape.readyOverrideReason,
  reason: updateItemSchema.shape.reason,
});
export type ItemFormFields = z.input<typeof itemFormSchema>;

type FieldName = keyof typeof itemFormSchema.shape;

/**
 * The fields the form sent: one it leaves out (the description while it is edited live, the status of an archived
 * item) is left as it is. Only the product owner may set the override reason.
 */
function sentFields(form: FormData, mayOverride: boolean) {
  const sent: Partial<Record<FieldName, true>> = {};
  for (const name of Object.keys(itemFormSchema.shape) as FieldName[])
    if (form.has(name) && (name !== 'readyOverrideReason' || mayOverride)) sent[name] = true;
  return itemFormSchema.pick(sent);
}

/** The Definition of Ready boxes (`ready.<id>`; an unticked box sends nothing), when the form showed them. */
function readyChecksOf(form: FormData, readyIds: readonly string[]) {
  if (form.get('readyChecksShown') !== '1') return undefined;
  return Object.fromEntries(readyIds.map((id) => [id, form.get(`ready.${id}`) === 'on']));
}

/** Points are typed as a whole number (or left empty): "2.5", "-1" or "+3" are not points. */
function estimateProblem(form: FormData) {
  const text = form.get('estimate');
  if (typeof text !== 'string' || text.trim() === '' || /^\d+$/.test(text.trim())) return null;
  return 'Estimate must be a whole number of points';
}

/**
 * Reads the edit form: the update it asks for, or the reply that refuses it (each problem beside its field, and
 * the Definition of Ready boxes as they were ticked, to show again).
 */
export function readItemForm(form: FormData, readyIds: readonly string[], mayOverride: boolean) {
  const submission = parseFormSubmission(form, sentFields(form, mayOverride));
  const readyChecks = readyChecksOf(form, readyIds);
  const estimate = estimateProblem(form);
  if (submission.status !== 'success' || estimate) {
    const result = submission.reply({
      formErrors: ['Nothing was saved: check the marked fields.'],
      fieldErrors: estimate ? { estimate: [estimate] } : undefined,
    });
    return { ok: false as const, result: errorsOnLists(result, ['labels']), readyChecks };
  }
  const { reason, ...fields } = submission.value;
  return {
    ok: true as const,
    submission,
    readyChecks,
    update: { ...fields, ...(readyChecks ? { readyChecks } : {}), ...(reason ? { reason } : {}) },
  };
}
