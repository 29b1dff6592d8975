import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { archiveSchema } from '~/services/backlog/archive.server';
import { archiveCandidates } from '~/services/backlog/cleanup.server';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import { authorize } from '~/services/products.server';
import { errorsOnLists } from '~/utils/form-replies';
import { type FormReply, formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { orFormError, orRespond } from '~/utils/route-errors.server';
import { dayChoices, defaultDays } from './settings';

const daysMessage = `Days must be one of ${dayChoices.join(', ')}`;
const daysSchema = z.coerce
  .number({ message: daysMessage })
  .refine((n) => (dayChoices as readonly number[]).includes(n), daysMessage);
/** Empty: the bottom quartile. A number: that threshold; 0 leaves WSJF out (every score is above 0). */
const maxWsjfSchema = z
  .string()
  .trim()
  .max(12, 'The WSJF threshold must be a number')
  .transform((v) => (v === '' ? undefined : Number(v.replace(',', '.'))))
  .pipe(
    z
      .number({ message: 'The WSJF threshold must be a number' })
      .min(0, 'The WSJF threshold cannot be negative')
      .max(1000, 'The WSJF threshold must be at most 1000')
      .optional(),
  );

/**
 * The list's settings from the URL (GET form) or the archive form; anything unreadable falls back, with a note.
 * `beyond` holds every value sent for the horizon rule: the form sends "off" always and "on" when ticked, so
 * the rule is on when "on" is among them, or when nothing was sent (the page's first visit).
 */
export function readSettings(values: {
  days: string | null;
  maxWsjf: string | null;
  beyond?: readonly string[];
}) {
  const problems: string[] = [];
  const days = daysSchema.safeParse(values.days ?? defaultDays);
  if (!days.success) problems.push(days.error.issues[0].message);
  const wsjf = maxWsjfSchema.safeParse(values.maxWsjf ?? '');
  if (!wsjf.success) problems.push(wsjf.error.issues[0].message);
  return {
    untouchedDays: days.success ? days.data : defaultDays,
    /** undefined: bottom quartile; 0: no WSJF criterion */
    maxWsjf: wsjf.success ? wsjf.data : undefined,
    wsjfText: wsjf.success ? (values.maxWsjf ?? '').trim() : '',
    beyondHorizon: !values.beyond?.length || values.beyond.includes('on'),
    error: problems.length ? `Some settings were ignored: ${problems.join('; ')}` : null,
  };
}

const candidateOptions = (settings: ReturnType<typeof readSettings>) => ({
  untouchedDays: settings.untouchedDays,
  maxWsjf: settings.maxWsjf === 0 ? null : settings.maxWsjf,
  beyondHorizon: settings.beyondHorizon,
});

export async function loadCleanup(context: AppLoadContext, productId: string, userId: string, url: URL) {
  const { db } = context.app;
  // Archiving is the product owner's decision: the whole view is theirs.
  await orRespond(authorize(db, productId, userId, 'backlog.order'));
  const settings = readSettings({
    days: url.searchParams.get('days'),
    maxWsjf: url.searchParams.get('maxWsjf'),
    beyond: url.searchParams.getAll('beyond'),
  });
  const result = await orRespond(archiveCandidates(db, productId, userId, candidateOptions(settings)));
  return {
    settings: { days: settings.untouchedDays, maxWsjf: settings.wsjfText, beyond: settings.beyondHorizon },
    settingsError: settings.error,
    ...result,
    cutoff: result.cutoff.toISOString(),
    items: result.items.map((i) => ({ ...i, updatedAt: i.updatedAt.toISOString() })),
  };
}

/** What the archive form answers (decision 0035): the form's reply, and once done how many items were archived. */
export interface ArchiveReply {
  result: FormReply;
  archived?: number;
  /** when it was done: the page empties the selection and the form once per archive */
  at?: number;
}

const refused = (result: FormReply, status: number) => data({ result } satisfies ArchiveReply, { status });
/** The rows are not sent back: the page keeps its own selection. */
const hideFields = ['itemIds'];

export async function archiveFromForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const { db } = context.app;
  let fields = form;
  if (form.get('all') === 'yes') {
    // "Select all" without JavaScript: every candidate of the list the page showed, not the ticked rows.
    const text = (name: string) => {
      const v = form.get(name);
      return typeof v === 'string' ? v : null;
    };
    const settings = readSettings({
      days: text('days'),
      maxWsjf: text('maxWsjf'),
      beyond: form.getAll('beyond').filter((v): v is string => typeof v === 'string'),
    });
    const listed = await orFormError(archiveCandidates(db, productId, userId, candidateOptions(settings)));
    if ('ok' in listed) return refused(formRefusal(listed.formError), listed.status);
    fields = new FormData();
    for (const [name, value] of form) if (name !== 'itemIds') fields.append(name, value);
    for (const item of listed.items) fields.append('itemIds', item.id);
  }
  const submission = parseFormSubmission(fields, archiveSchema);
  if (submission.status !== 'success')
    return refused(errorsOnLists(submission.reply({ hideFields }), ['itemIds']), 400);
  const result = await orFormError(
    runBacklogCommand(context.app, 'archiveItems', { productId }, userId, submission.value),
  );
  if ('ok' in result)
    return refused(
      refuseSubmission(submission, result.formError, { field: result.field, hideFields }),
      result.status,
    );
  context.app.log.info({ event: 'items_archived', productId, by: userId, archived: result.archived });
  return {
    // The reason is emptied for the next archive.
    result: submission.reply({ resetForm: true }),
    archived: result.archived,
    at: Date.now(),
  } satisfies ArchiveReply;
}
