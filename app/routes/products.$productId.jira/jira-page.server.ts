import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { trackersOf } from '~/api/operations/trackers.server';
import { isAppError } from '~/domain/errors';
import { can } from '~/domain/roles';
import type { ConnectionCheck, FieldMap } from '~/domain/tracker';
import { authorize } from '~/services/products.server';
import {
  connectSchema,
  connectTracker,
  disconnectTracker,
  fieldMapPreview,
  problemField,
  saveTrackerSettings,
  settingsSchema,
  testConnection,
  trackerStatus,
} from '~/services/trackers/connections.server';
import { importSchema, requestImport, requestSync } from '~/services/trackers/jobs.server';
import { ensureWebhook } from '~/services/trackers/webhooks.server';
import { type FormReply, formRefusal, parseFormSubmission } from '~/utils/form-submission';

/*
 * The product's Jira page (issue 16, decision 0038): connect, import, field map and review statuses, and the
 * sync's status. Every form posts to one action with an `intent`; each intent reads its own small schema with the
 * one form pipeline (decision 0035) and calls the tracker services, which authorize (product owner only).
 */

export async function loadJiraPage(context: AppLoadContext, productId: string, userId: string) {
  // The role first, on the product's own database: a non-member gets 404 like on every product page.
  const role = await authorize(context.app.db, productId, userId, 'product.view');
  const { deps } = trackersOf(context.app);
  const status = await trackerStatus(deps, productId, userId);
  const mayManage = can(role, 'product.manage');
  return {
    // The Jira account's email is the product owner's business (it fills the credentials form), not the team's.
    status: status.connected && !mayManage ? { ...status, accountEmail: null } : status,
    mayManage,
    pollSeconds: context.app.config.TRACKER_POLL_SECONDS,
    /** server time of this read: relative times ("4 minutes ago") count from it, the same on server and client */
    now: new Date().toISOString(),
  };
}

export type JiraPageData = Awaited<ReturnType<typeof loadJiraPage>>;

/** The connect form's fields: the service's own schema (the API's too). */
export type ConnectFields = z.input<typeof connectSchema>;

const [jqlScope, boardScope] = importSchema.options;
const importForm = z.discriminatedUnion(
  'by',
  [
    z.object({ by: z.literal('jql'), jql: jqlScope.shape.jql }),
    z.object({ by: z.literal('board'), boardId: boardScope.shape.boardId }),
  ],
  { message: 'Choose “By JQL” or “By board”' },
);
/** The import form's fields: how to choose the issues, and the JQL or the board. */
export type ImportFields = { by: 'jql' | 'board'; jql?: string; boardId?: string | number };

const fieldId = z.string().trim().max(100, 'A field id is at most 100 characters').nullable();
const statusName = z.string().trim().max(100, 'A status name is at most 100 characters').nullable();
const settingsForm = z
  .object({
    storyPoints: fieldId,
    criteriaKind: z.enum(['field', 'description-section', 'none'], {
      message: 'Choose where the acceptance criteria live in Jira',
    }),
    criteriaField: z.string().trim().max(100, 'A field id is at most 100 characters').optional(),
    criteriaHeading: z.string().trim().max(100, 'A heading is at most 100 characters').optional(),
    epicLink: fieldId,
    rank: fieldId,
    accepted: statusName,
    rejected: statusName,
    commentDecisions: z.boolean(),
  })
  .superRefine((form, ctx) => {
    if (form.criteriaKind === 'field' && !form.criteriaField)
      ctx.addIssue({
        code: 'custom',
        path: ['criteriaField'],
        message: 'Enter the id of the field that holds the criteria',
      });
    if (form.criteriaKind === 'description-section' && !form.criteriaHeading)
      ctx.addIssue({
        code: 'custom',
        path: ['criteriaHeading'],
        message: 'Enter the heading of the description’s criteria section',
      });
  });
/** The field map and review status form's fields (flat; turned into the service's nested settings). */
export type SettingsFields = z.input<typeof settingsForm>;

/** The settings form as the service's input (the API's shape). */
function settingsInput(form: z.output<typeof settingsForm>): z.input<typeof settingsSchema> {
  const criteria: FieldMap['criteria'] =
    form.criteriaKind === 'field'
      ? { kind: 'field', fieldId: form.criteriaField ?? '' }
      : form.criteriaKind === 'description-section'
        ? { kind: 'description-section', heading: form.criteriaHeading ?? '' }
        : { kind: 'none' };
  return {
    fieldMap: { storyPoints: form.storyPoints, criteria, epicLink: form.epicLink, rank: form.rank },
    statusMap: { accepted: form.accepted, rejected: form.rejected },
    commentDecisions: form.commentDecisions,
  };
}

/** Where the settings schema's paths sit in the flat form. */
const settingsFieldOf = (path: readonly PropertyKey[]) => {
  const [part, name, inner] = path.map(String);
  if (part === 'fieldMap' && name === 'criteria')
    return inner === 'heading' ? 'criteriaHeading' : inner === 'fieldId' ? 'criteriaField' : 'criteriaKind';
  if (part === 'fieldMap' || part === 'statusMap') return name;
  return part;
};

const candidateShape = z.object({ id: z.string(), name: z.string() });
/**
 * The "Detect again" preview as the page shows it. Read leniently: the detection (domain/jira-fields.ts) names
 * the map and, per field, the site's fields that could be it; a shape it does not have shows as no candidates.
 */
const previewShape = z.object({
  map: z
    .object({
      storyPoints: z.string().nullable(),
      criteria: z.union([
        z.object({ kind: z.literal('field'), fieldId: z.string() }),
        z.object({ kind: z.literal('description-section'), heading: z.string() }),
        z.object({ kind: z.literal('none') }),
      ]),
      epicLink: z.string().nullable(),
      rank: z.string().nullable(),
    })
    .nullable()
    .catch(null),
  candidates: z
    .record(z.string(), z.array(candidateShape).catch([]))
    .catch({})
    .transform((lists) =>
      Object.fromEntries(Object.entries(lists).map(([field, list]) => [field, list.slice(0, 25)])),
    ),
});
export type FieldMapPreview = z.output<typeof previewShape>;

export const jiraIntents = ['test', 'connect', 'disconnect', 'import', 'sync', 'detect', 'settings'] as const;
export type JiraIntent = (typeof jiraIntents)[number];

/**
 * What the Jira page's forms answer (decision 0035): the intent (each form shows only its own), Conform's reply,
 * and what a done command says: the connection check, a message, the field map preview.
 */
export interface JiraReply {
  intent: string;
  result: FormReply;
  message?: string;
  check?: ConnectionCheck;
  preview?: FieldMapPreview;
}

const answer = (reply: JiraReply, status = 200) => data(reply satisfies JiraReply, { status });
const notUnderstood = 'That request was not understood. Reload the page and try again.';

/** Runs a service command; a refusal (AppError) becomes the form's reply, beside its field when it names one. */
async function attempt<T>(work: () => Promise<T>) {
  try {
    return { ok: true as const, value: await work() };
  } catch (error) {
    if (isAppError(error))
      return { ok: false as const, status: error.status, message: error.detail, field: error.extra.field };
    throw error;
  }
}

type Refusal = { ok: false; status: number; message: string; field?: string };

/** The token is never sent back, whatever the answer. */
const hideToken = { hideFields: ['token'] };

export async function runJiraForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  request: Request,
) {
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  if (!(jiraIntents as readonly string[]).includes(intent))
    return answer({ intent, result: formRefusal(notUnderstood) }, 400);
  const available = await attempt(async () => trackersOf(context.app));
  if (!available.ok) return answer({ intent, result: formRefusal(available.message) }, available.status);
  const { deps, kick } = available.value;

  switch (intent as JiraIntent) {
    case 'test':
    case 'connect': {
      const submission = parseFormSubmission(form, connectSchema);
      if (submission.status !== 'success')
        return answer({ intent, result: submission.reply(hideToken) }, 400);
      const refuse = (refusal: Refusal) =>
        answer(
          {
            intent,
            result: submission.reply({
              ...(refusal.field
                ? { fieldErrors: { [refusal.field]: [refusal.message] } }
                : { formErrors: [refusal.message] }),
              ...hideToken,
            }),
          },
          refusal.status,
        );
      if (intent === 'test') {
        const tried = await attempt(() => testConnection(deps, productId, userId, submission.value));
        if (!tried.ok) return refuse(tried);
        const check = tried.value;
        if (!check.ok)
          return refuse({
            ok: false,
            status: 400,
            message: check.message,
            field: problemField[check.problem] ?? 'token',
          });
        return answer({ intent, result: submission.reply(hideToken), check });
      }
      const connected = await attempt(() => connectTracker(deps, productId, userId, submission.value));
      if (!connected.ok) return refuse(connected);
      context.app.log.info({ event: 'tracker_connected', productId, by: userId });
      return answer({
        intent,
        result: submission.reply({ resetForm: true }),
        check: connected.value.check,
        message: connected.value.check.ok
          ? `Connected as ${connected.value.check.accountName}.`
          : 'Connected.',
      });
    }
    case 'disconnect': {
      const done = await attempt(() => disconnectTracker(deps, productId, userId));
      if (!done.ok) return answer({ intent, result: formRefusal(done.message) }, done.status);
      context.app.log.info({ event: 'tracker_disconnected', productId, by: userId });
      return answer({
        intent,
        result: { status: 'success', initialValue: null },
        message: 'Disconnected from Jira. The items stay, with their Jira keys.',
      });
    }
    case 'import': {
      const submission = parseFormSubmission(form, importForm);
      if (submission.status !== 'success') return answer({ intent, result: submission.reply() }, 400);
      const input = submission.value;
      const scope = input.by === 'jql' ? { jql: input.jql } : { boardId: input.boardId };
      const started = await attempt(() => requestImport(deps, productId, userId, scope));
      if (!started.ok) {
        // A refusal belongs beside the query or the board it was about.
        const field = started.field ?? (input.by === 'jql' ? 'jql' : 'boardId');
        return answer(
          { intent, result: submission.reply({ fieldErrors: { [field]: [started.message] } }) },
          started.status,
        );
      }
      kick();
      // Best effort, in the background: a webhook Jira cannot register leaves the poll (ensureWebhook logs it).
      void ensureWebhook(deps, productId, new URL(request.url).origin);
      context.app.log.info({ event: 'tracker_import_requested', productId, by: userId });
      return answer({
        intent,
        result: submission.reply(),
        message: 'Import started: the issues arrive in the backlog page by page.',
      });
    }
    case 'sync': {
      const started = await attempt(() => requestSync(deps, productId, userId));
      if (!started.ok) return answer({ intent, result: formRefusal(started.message) }, started.status);
      kick();
      return answer({
        intent,
        result: { status: 'success' },
        message: 'Sync started: Refinery reads what changed in Jira and sends what is waiting.',
      });
    }
    case 'detect': {
      const detected = await attempt(() => fieldMapPreview(deps, productId, userId));
      if (!detected.ok) return answer({ intent, result: formRefusal(detected.message) }, detected.status);
      const preview = previewShape.safeParse(detected.value);
      return answer({
        intent,
        result: { status: 'success' },
        preview: preview.success ? preview.data : { map: null, candidates: {} },
      });
    }
    case 'settings': {
      const submission = parseFormSubmission(form, settingsForm);
      if (submission.status !== 'success') return answer({ intent, result: submission.reply() }, 400);
      const input = settingsSchema.safeParse(settingsInput(submission.value));
      if (!input.success) {
        const issue = input.error.issues[0];
        return answer(
          {
            intent,
            result: submission.reply({ fieldErrors: { [settingsFieldOf(issue.path)]: [issue.message] } }),
          },
          400,
        );
      }
      const saved = await attempt(() => saveTrackerSettings(deps, productId, userId, input.data));
      if (!saved.ok)
        return answer(
          {
            intent,
            result: submission.reply(
              saved.field
                ? { fieldErrors: { [saved.field]: [saved.message] } }
                : { formErrors: [saved.message] },
            ),
          },
          saved.status,
        );
      return answer({ intent, result: submission.reply(), message: 'Saved.' });
    }
  }
}
