import type { Submission } from '@conform-to/react';
import type { FormReply } from '~/utils/form-submission';

/**
 * Two reply shapes the backlog forms need beside those of `~/utils/form-submission` (decision 0035).
 */

/**
 * A valid form the command still refused, said on the form (the alert above a long form) and, where the refusal
 * names a field, beside that field too.
 */
export function refuseOnFormAndField(
  submission: Pick<Submission<unknown, string[], unknown>, 'reply'>,
  message: string,
  field?: string,
): FormReply {
  return submission.reply({ formErrors: [message], fieldErrors: field ? { [field]: [message] } : undefined });
}

/**
 * The reply with the errors of a list's rows (`itemIds[3]`, `labels[0]`) said on the list itself (`itemIds`):
 * where a form shows a list as one control (row checkboxes, one comma-separated text), that is where its message
 * belongs. Each field keeps its first message, as the pipeline does.
 */
export function errorsOnLists(result: FormReply, lists: readonly string[]): FormReply {
  if (!result.error) return result;
  const error: NonNullable<FormReply['error']> = {};
  for (const [path, messages] of Object.entries(result.error)) {
    const target = lists.find((list) => path.startsWith(`${list}[`)) ?? path;
    if (!error[target]?.length) error[target] = messages;
  }
  return { ...result, error };
}
