import { z } from 'zod';
import { isAppError } from '~/domain/errors';
import type { ChecklistItem } from '~/domain/readiness';
import { type FormReply, formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import type { CommandServices } from '~/services/commands/runner.server';
import { runBacklogCommand } from './commands.server';
import { type DefinitionKind, definitionKinds, definitionNames } from './definitions.server';

/** The most lines the Settings editor sends (its lines plus the blank ones for new lines). */
export const maxDefinitionRows = 40;

/** The editor's form: the kind, its lines (kept lines carry their id; a ticked "Remove" drops one), a reason. */
const definitionForm = z.object({
  kind: z.enum(definitionKinds, {
    message: 'That request was not understood. Reload the page and try again.',
  }),
  lines: z
    .array(
      z.object({
        id: z.string().max(64).default(''),
        text: z.string().default(''),
        remove: z.boolean().default(false),
      }),
    )
    .max(maxDefinitionRows, `At most ${maxDefinitionRows} lines`)
    .default([]),
  reason: z.string().optional(),
});

/** What the editor answers: which Definition, the form reply, what was done, and on a refusal the lines as typed. */
export interface DefinitionFormReply {
  kind: DefinitionKind | null;
  result: FormReply;
  message?: string;
  rows?: Array<{ id: string; text: string }>;
}

/**
 * Settings → Definition of Ready / Done, read by the one form pipeline and saved by the backlog command
 * `updateDefinition` (which checks who may and publishes the Definition of Done to running reviews).
 */
export async function runDefinitionForm(
  services: CommandServices,
  productId: string,
  userId: string,
  form: FormData,
): Promise<{ reply: DefinitionFormReply; status: number }> {
  const submission = parseFormSubmission(form, definitionForm);
  if (submission.status !== 'success') {
    const kind = definitionKinds.find((k) => k === form.get('kind')) ?? null;
    const result = kind
      ? submission.reply()
      : formRefusal('That request was not understood. Reload the page and try again.');
    return { reply: { kind, result }, status: 400 };
  }
  const { kind, lines, reason } = submission.value;
  const rows = lines.filter((line) => !line.remove).map(({ id, text }) => ({ id, text: text.trim() }));
  const checklist: ChecklistItem[] = rows
    .filter((r) => r.text !== '')
    .map((r) => ({ id: r.id || `c-${crypto.randomUUID().slice(0, 8)}`, text: r.text }));
  try {
    const result = await runBacklogCommand(services, 'updateDefinition', { productId }, userId, {
      kind,
      checklist,
      reason: reason?.trim() || undefined,
    });
    const message = result.changed ? `${definitionNames[kind]} saved.` : 'Nothing changed.';
    return { reply: { kind, result: submission.reply(), message }, status: 200 };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      reply: { kind, result: refuseSubmission(submission, error.detail), rows },
      status: error.status,
    };
  }
}
