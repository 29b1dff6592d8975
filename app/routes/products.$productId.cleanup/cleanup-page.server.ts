import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { archiveSchema } from '~/services/backlog/archive.server';
import { archiveCandidates } from '~/services/backlog/cleanup.server';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import { authorize } from '~/services/products.server';
import { fieldErrorsOf } from '~/utils/form-values';
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

export type ArchiveResult =
  | { ok: true; archived: number; at: number }
  | { ok: false; formError?: string; fieldErrors: Record<string, string> };

const refuse = (status: number, fieldErrors: Record<string, string>, formError?: string) =>
  data({ ok: false, fieldErrors, formError } satisfies ArchiveResult, { status });

export async function archiveFromForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const { db } = context.app;
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : null;
  };
  let itemIds: unknown[] = form.getAll('itemIds');
  if (text('all') === 'yes') {
    // "Select all" without JavaScript: every candidate of the list the page showed.
    const settings = readSettings({
      days: text('days'),
      maxWsjf: text('maxWsjf'),
      beyond: form.getAll('beyond').filter((v): v is string => typeof v === 'string'),
    });
    const listed = await orFormError(archiveCandidates(db, productId, userId, candidateOptions(settings)));
    if ('ok' in listed) return refuse(listed.status, {}, listed.formError);
    itemIds = listed.items.map((i) => i.id);
  }
  const parsed = archiveSchema.safeParse({ itemIds, reason: text('reason') ?? '' });
  if (!parsed.success) return refuse(400, fieldErrorsOf(parsed.error));
  const result = await orFormError(
    runBacklogCommand(context.app, 'archiveItems', { productId }, userId, parsed.data),
  );
  if ('ok' in result)
    return refuse(result.status, result.field ? { [result.field]: result.formError } : {}, result.formError);
  context.app.log.info({ event: 'items_archived', productId, by: userId, archived: result.archived });
  return { ok: true, archived: result.archived, at: Date.now() } satisfies ArchiveResult;
}
