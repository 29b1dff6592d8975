import { type AppLoadContext, data, redirect } from '@remix-run/node';
import { z } from 'zod';
import { type ColumnMapping, type ImportTarget, importTargets } from '~/domain/csv-import';
import { isAppError } from '~/domain/errors';
import { importSchema, previewImport } from '~/services/backlog/import-export.server';
import { runBacklogCommand } from '~/services/backlog/commands.server';

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

export type ImportActionResult =
  | { step: 'choose'; fieldErrors: Record<string, string>; formError?: string }
  | {
      step: 'preview';
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
      /** the import was refused: nothing was imported */
      importError?: string;
      formError?: string;
    };

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

const choose = (status: number, fieldErrors: Record<string, string>, formError?: string) =>
  data({ step: 'choose', fieldErrors, formError } satisfies ImportActionResult, { status });

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
    return choose(400, {}, 'The form could not be read. Reload the page and try again.');
  }
  const fields = formSchema.safeParse(
    Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')),
  );
  if (!fields.success) return choose(400, {}, fields.error.issues[0].message);
  const { intent, js, mapped } = fields.data;
  const fileName = fileNameOf(form, fields.data.fileName);
  const csv = await csvText(form);
  if (csv.includes('\u0000')) {
    return choose(400, {
      csv: 'This is not a text file. If it is an Excel workbook, save it as CSV (UTF-8) first.',
    });
  }

  let mapping: Partial<Record<ImportTarget, number | null>> | undefined;
  if (mapped) {
    mapping = {};
    for (const target of importTargets) {
      const column = columnSchema.safeParse(form.get(`map-${target}`) ?? '');
      if (!column.success)
        return choose(400, {}, `The mapping of ${target} was not understood. Reload the page and try again.`);
      mapping[target] = column.data;
    }
  }
  const input = importSchema.safeParse({ csv, mapping });
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = String(issue.path[0] ?? 'csv');
    return choose(
      400,
      field === 'csv' ? { csv: 'Choose a CSV file, or paste its text' } : {},
      field === 'csv' ? undefined : issue.message,
    );
  }

  const preview = async (status: number, extra: { importError?: string; formError?: string } = {}) => {
    const result = await previewImport(db, productId, userId, input.data.csv, input.data.mapping);
    return data(
      {
        step: 'preview',
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
        ...extra,
      } satisfies ImportActionResult,
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
    if (error.code !== 'invalid') return choose(error.status, {}, error.detail);
    try {
      return await preview(400, { importError: error.detail });
    } catch (again) {
      if (isAppError(again)) return choose(again.status, {}, again.detail);
      throw again;
    }
  }
}
