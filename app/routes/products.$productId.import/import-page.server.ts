import { type AppLoadContext, data, redirect } from '@remix-run/node';
import { z } from 'zod';
import { type ColumnMapping, type ImportTarget, importTargets } from '~/domain/csv-import';
import { isAppError } from '~/domain/errors';
import { importSchema, previewImport } from '~/services/backlog/import-export.server';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import { type FormReply, formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';

/** How many mapped items the preview shows, and how many errors it lists at most. */
export const previewSize = 20;
export const maxListedErrors = 1000;

export interface PreviewItem {
  line: number;
  title: string;
  type: string;
  estimate: number | null;
  moscow: string | null;
  parent: string | null;
  labels: string[];
  hasCriteria: boolean;
}

/**
 * What the import form answers (decision 0035): the step to show, the form's reply (a problem with the CSV beside
 * it, anything else on the form; a refused import on the preview) and the preview itself.
 */
export type ImportReply =
  | { step: 'choose'; result: FormReply }
  | {
      step: 'preview';
      result: FormReply;
      fileName: string;
      /** echoed only for browsers without JavaScript; with it, the page keeps the text itself */
      csv?: string;
      header: string[];
      mapping: ColumnMapping;
      rows: number;
      itemCount: number;
      items: PreviewItem[];
      errors: Array<{ line: number; reason: string }>;
      errorCount: number;
    };

/** The form's own fields; the CSV (a file, its text or pasted text) and the mapping are read beside it. */
const formSchema = z.object({
  intent: z.enum(['preview', 'import'], { message: 'Choose Preview or Import' }),
  fileName: z.string().trim().max(255).catch(''),
  js: z.literal('1').optional().catch(undefined),
  mapped: z.literal('1').optional().catch(undefined),
});

/** "" → not imported; "3" → column 3; anything else is refused by name. */
const columnSchema = z.union([
  z.literal('').transform(() => null),
  z
    .string()
    .regex(/^\d{1,4}$/, 'Choose a column from the list')
    .transform(Number),
]);

const choose = (status: number, result: FormReply) =>
  data({ step: 'choose', result } satisfies ImportReply, { status });

/** The CSV text: the field the page filled from the chosen file, else the uploaded file (no JavaScript), else the pasted text. */
async function csvText(form: FormData): Promise<string> {
  const read = form.get('csv');
  if (typeof read === 'string' && read !== '') return read;
  const file = form.get('file');
  if (file && typeof file !== 'string' && file.size > 0) return file.text();
  const pasted = form.get('pasted');
  return typeof pasted === 'string' ? pasted : '';
}

function fileNameOf(form: FormData, given: string) {
  if (given) return given;
  const file = form.get('file');
  if (file && typeof file !== 'string' && file.size > 0 && file.name) return file.name.slice(0, 255);
  return 'Pasted CSV';
}

export async function runImport(
  context: AppLoadContext,
  productId: string,
  userId: string,
  request: Request,
) {
  const { db } = context.app;
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return choose(400, formRefusal('The form could not be read. Reload the page and try again.'));
  }
  const submission = parseFormSubmission(form, formSchema);
  if (submission.status !== 'success')
    return choose(400, formRefusal(submission.error?.intent?.[0] ?? 'Choose Preview or Import'));
  const { intent, js, mapped } = submission.value;
  const fileName = fileNameOf(form, submission.value.fileName);
  // Read here: the form pipeline leaves files out.
  const csv = await csvText(form);
  const refuse = (message: string, field?: string) => refuseSubmission(submission, message, { field });
  if (csv.includes('\u0000')) {
    const message = 'This is not a text file. If it is an Excel workbook, save it as CSV (UTF-8) first.';
    return choose(400, refuse(message, 'csv'));
  }

  let mapping: Partial<Record<ImportTarget, number | null>> | undefined;
  if (mapped) {
    mapping = {};
    for (const target of importTargets) {
      const column = columnSchema.safeParse(form.get(`map-${target}`) ?? '');
      if (!column.success)
        return choose(
          400,
          refuse(`The mapping of ${target} was not understood. Reload the page and try again.`),
        );
      mapping[target] = column.data;
    }
  }
  const input = importSchema.safeParse({ csv, mapping });
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = String(issue.path[0] ?? 'csv');
    return choose(
      400,
      field === 'csv' ? refuse('Choose a CSV file, or paste its text', 'csv') : refuse(issue.message),
    );
  }

  /** The preview; after a refused import, with the reason (nothing was imported). */
  const preview = async (status: number, importError?: string) => {
    const result = await previewImport(db, productId, userId, input.data.csv, input.data.mapping);
    return data(
      {
        step: 'preview',
        result: importError ? refuse(importError) : submission.reply(),
        fileName,
        csv: js ? undefined : input.data.csv,
        header: result.header,
        mapping: result.mapping,
        rows: result.rows,
        itemCount: result.items.length,
        items: result.items.slice(0, previewSize).map((item) => ({
          line: item.line,
          title: item.title,
          type: item.type,
          estimate: item.estimate,
          moscow: item.moscow,
          parent: item.parentRef,
          labels: item.labels,
          hasCriteria: item.criteria !== '',
        })),
        errors: result.errors.slice(0, maxListedErrors),
        errorCount: result.errors.length,
      } satisfies ImportReply,
      { status },
    );
  };

  try {
    if (intent === 'preview') return await preview(200);
    const { imported } = await runBacklogCommand(context.app, 'importCsv', { productId }, userId, input.data);
    context.app.log.info({ event: 'backlog_imported', productId, by: userId, imported });
    return redirect(`/products/${productId}?imported=${imported}`);
  } catch (error) {
    if (!isAppError(error)) throw error;
    // 403/404 (a role changed meanwhile): a clear message on the page, never a crash.
    if (error.code !== 'invalid') return choose(error.status, refuse(error.detail));
    try {
      return await preview(400, error.detail);
    } catch (again) {
      if (isAppError(again)) return choose(again.status, refuse(again.detail));
      throw again;
    }
  }
}
