import { z } from 'zod';
import { defineOperation, type Operation } from '~/api/operation.server';
import { id, isoDateTime } from '~/api/schemas.server';
import {
  noReasonGiven,
  reshuffleDistance,
  reshuffleMinItems,
  reshuffleShare,
} from '~/domain/backlog-stability';
import { AppError } from '~/domain/errors';
import { sprintBurndown } from '~/services/metrics/burndown.server';
import {
  createDashboardLink,
  dashboardLinkSchema,
  revokeDashboardLink,
} from '~/services/metrics/dashboard-links.server';
import { debtShareHistory } from '~/services/metrics/debt-share.server';
import { backlogForecast } from '~/services/metrics/forecast.server';
import { sprintHistory } from '~/services/metrics/history.server';
import { qualityMetrics } from '~/services/metrics/quality.server';
import {
  backlogStabilityReport,
  defaultStabilityWeeks,
  maxStabilityWeeks,
} from '~/services/metrics/stability.server';
import { authorize } from '~/services/products.server';
import { productIdParam, queryInteger } from './backlog.server';

/* Metrics and forecasts: velocity, burndown, a forecast range for every item, quality numbers, dashboard links. */

const rangeSchema = z
  .object({ lowest: z.number(), average: z.number(), highest: z.number(), sprints: z.number().int() })
  .nullable()
  .meta({ title: 'VelocityRange', description: 'From the last 3 to 5 closed sprints; null below three' });

const calendarDate = z.string().meta({ description: 'YYYY-MM-DD' });

export const getVelocityOperation = defineOperation({
  operationId: 'getVelocity',
  method: 'GET',
  path: '/products/{productId}/velocity',
  summary: 'Accepted points per closed sprint, and the lowest, average and highest of the last 3 to 5',
  tag: 'Metrics',
  auth: 'token',
  params: { productId: productIdParam },
  success: {
    status: 200,
    description: 'Velocity per closed sprint, oldest first',
    schema: z
      .object({
        sprints: z.array(
          z.object({
            id,
            number: z.number().int(),
            name: z.string(),
            startDate: calendarDate,
            endDate: calendarDate,
            accepted: z.number().int(),
          }),
        ),
        range: rangeSchema,
      })
      .meta({ title: 'Velocity' }),
  },
  errors: [404],
  async handler({ services, user, params }) {
    await authorize(services.db, params.productId, user.id, 'product.view');
    const history = await sprintHistory(services.db, params.productId);
    return {
      sprints: history.sprints
        .filter((s) => s.state === 'closed')
        .map((s) => ({
          id: s.id,
          number: s.number,
          name: s.name,
          startDate: s.startDate,
          endDate: s.endDate,
          accepted: s.accepted,
        })),
      range: history.range,
    };
  },
});

const burndownDaySchema = z.object({
  date: calendarDate,
  remaining: z.number().nullable().meta({ description: 'null for days still to come' }),
  completed: z.number(),
  added: z.number(),
  removed: z.number(),
  ideal: z.number(),
});

export const getBurndownOperation = defineOperation({
  operationId: 'getBurndown',
  method: 'GET',
  path: '/sprints/{sprintId}/burndown',
  summary:
    'A sprint’s burndown, computed from the decision log: remaining points per day, scope added and removed',
  tag: 'Metrics',
  auth: 'token',
  params: { sprintId: { description: 'The sprint’s id', format: 'uuid' } },
  success: {
    status: 200,
    description: 'The burndown',
    schema: z
      .object({
        sprint: z.object({
          id,
          name: z.string(),
          startDate: calendarDate,
          endDate: calendarDate,
          state: z.enum(['planned', 'active', 'closed']),
        }),
        committed: z.number(),
        days: z.array(burndownDaySchema),
      })
      .meta({ title: 'Burndown' }),
  },
  errors: [404],
  async handler({ services, user, params }) {
    const { sprint, burndown } = await sprintBurndown(services.db, params.sprintId, user.id);
    return { sprint, ...burndown };
  },
});

const forecastRowSchema = z
  .object({
    itemId: id,
    title: z.string(),
    kind: z.enum(['no_history', 'current_sprint', 'range']),
    label: z.string().meta({ description: 'The forecast in words: “Between Sprint 14 and Sprint 16”' }),
    earliest: z.number().int().nullable(),
    likely: z.number().int().nullable(),
    latest: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'null when a recent sprint delivered nothing (no upper bound)' }),
    from: calendarDate.nullable(),
    to: calendarDate.nullable(),
    pointsThrough: z.number().nullable(),
    unestimatedThrough: z.number().int().nullable(),
  })
  .meta({ title: 'ItemForecast' });

export const getForecastOperation = defineOperation({
  operationId: 'getForecast',
  method: 'GET',
  path: '/products/{productId}/forecast',
  summary: 'The sprint range in which each open item (or one item) is expected',
  description:
    'From the cumulative points above each item in the backlog order and the lowest, average and highest velocity of the last 3 to 5 closed sprints. Below three closed sprints every forecast is “no_history”.',
  tag: 'Metrics',
  auth: 'token',
  params: { productId: productIdParam },
  query: z.object({
    itemId: z
      .uuid({ message: 'itemId must be an item id' })
      .optional()
      .meta({ description: 'Only this item' }),
  }),
  success: {
    status: 200,
    description: 'Forecasts in backlog order',
    schema: z
      .object({
        range: rangeSchema,
        firstSprint: z
          .number()
          .int()
          .meta({ description: 'The number of the first sprint that takes items from the backlog' }),
        runningSprint: z.string().nullable(),
        items: z.array(forecastRowSchema),
      })
      .meta({ title: 'Forecast' }),
  },
  errors: [404, 409],
  async handler({ services, user, params, query }) {
    const forecast = await backlogForecast(services.db, params.productId, user.id);
    const rows = query.itemId
      ? [forecast.rows.get(query.itemId)].filter((r) => r !== undefined)
      : [...forecast.rows.values()];
    if (query.itemId && rows.length === 0)
      throw new AppError('not_found', 'No open item with this id in the product');
    return {
      range: forecast.history.range,
      firstSprint: forecast.history.firstSprint,
      runningSprint: forecast.history.runningSprint,
      items: rows.map((r) => ({
        itemId: r.itemId,
        title: r.title,
        kind: r.forecast.kind,
        label: r.label,
        earliest:
          r.forecast.kind === 'range'
            ? r.forecast.earliest
            : r.forecast.kind === 'current_sprint'
              ? r.forecast.sprint
              : null,
        likely:
          r.forecast.kind === 'range'
            ? r.forecast.likely
            : r.forecast.kind === 'current_sprint'
              ? r.forecast.sprint
              : null,
        latest:
          r.forecast.kind === 'range'
            ? r.forecast.latest
            : r.forecast.kind === 'current_sprint'
              ? r.forecast.sprint
              : null,
        from: r.from,
        to: r.to,
        pointsThrough: r.forecast.kind === 'range' ? r.forecast.pointsThrough : null,
        unestimatedThrough: r.forecast.kind === 'range' ? r.forecast.unestimatedThrough : null,
      })),
    };
  },
});

const share = z
  .number()
  .nullable()
  .meta({ description: 'A share from 0 to 1; null when there is nothing to count' });

export const getQualityMetricsOperation = defineOperation({
  operationId: 'getQualityMetrics',
  method: 'GET',
  path: '/products/{productId}/quality',
  summary:
    'The product owner’s quality numbers: review rejection rate, items entering a sprint not ready, poker spread, outcome rate',
  tag: 'Metrics',
  auth: 'token',
  params: { productId: productIdParam },
  success: {
    status: 200,
    description: 'The quality numbers',
    schema: z
      .object({
        sprints: z.array(
          z.object({ sprintId: id, name: z.string(), rejectionRate: share, notReadyShare: share }),
        ),
        overall: z.object({ rejectionRate: share, notReadyShare: share }),
        poker: z.object({ rounds: z.number().int(), meanSteps: z.number().nullable(), wideShare: share }),
        outcomes: z.object({
          released: z.number().int(),
          recorded: z.number().int(),
          moved: z.number().int(),
          rate: share,
        }),
      })
      .meta({ title: 'QualityMetrics' }),
  },
  errors: [404],
  async handler({ services, user, params }) {
    return qualityMetrics(services.db, params.productId, user.id);
  },
});

export const knownTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const stabilityMoveSchema = z
  .object({
    at: isoDateTime,
    itemId: id,
    title: z.string(),
    hidden: z.boolean().meta({ description: 'An item the caller may not see: the title is a placeholder' }),
    kind: z.enum(['moved', 'proposal_applied']),
    mode: z
      .string()
      .nullable()
      .meta({ description: 'The proposal’s mode (wsjf, moscow_wsjf) for proposal_applied; else null' }),
    from: z.number().int().meta({ description: 'The place before, 1 is the top' }),
    to: z.number().int().meta({ description: 'The place after' }),
    distance: z.number().int(),
    actor: z.string(),
    reason: z.string(),
    noReason: z.boolean().meta({ description: `No reason was written down (“${noReasonGiven}”)` }),
  })
  .meta({
    title: 'StabilityMove',
    description:
      'One change of an item’s place. For moved, places are in the whole order; for proposal_applied, among the items the proposal ordered.',
  });

export const getBacklogStabilityOperation = defineOperation({
  operationId: 'getBacklogStability',
  method: 'GET',
  path: '/products/{productId}/metrics/stability',
  summary: 'How much the backlog order moved each week, and the reasons from the decision log',
  description:
    'Weeks (Monday to Sunday, in `timeZone`) with at least one order change, newest first; a week not listed had none. ' +
    'Order changes are moves and applied WSJF/MoSCoW proposals. The stability index is the share of the order not moved that week (1 − items moved / items in the order). ' +
    `A week is a radical reshuffle when more than ${reshuffleShare * 100} % of the items moved (at least ${reshuffleMinItems}) or one move went ${reshuffleDistance} places or more. ` +
    'Every member of the product may read it, stakeholders included.',
  tag: 'Metrics',
  auth: 'token',
  params: { productId: productIdParam },
  query: z.object({
    weeks: queryInteger('weeks', 1, maxStabilityWeeks)
      .default(defaultStabilityWeeks)
      .meta({ description: 'How many weeks back, the current one included' }),
    timeZone: z
      .string()
      .max(64)
      .refine(knownTimeZone, 'timeZone must be an IANA time zone, such as Europe/Berlin')
      .default('UTC')
      .meta({ description: 'The IANA time zone whose calendar weeks are counted' }),
  }),
  success: {
    status: 200,
    description: 'The weeks with order changes, newest first',
    schema: z
      .object({
        windowWeeks: z.number().int(),
        backlogSize: z.number().int().meta({ description: 'Items in the order now (not archived)' }),
        timeZone: z.string(),
        weeks: z.array(
          z.object({
            start: calendarDate.meta({ description: 'The Monday the week starts on, YYYY-MM-DD' }),
            isoWeek: z.string().meta({ description: 'The ISO week, such as 2026-W49' }),
            itemsMoved: z.number().int(),
            totalDistance: z.number().int(),
            largestMove: z.number().int(),
            stabilityIndex: z.number().meta({ description: 'Share of the order not moved, 0 to 1' }),
            reshuffle: z.boolean(),
            causes: z.array(z.enum(['share', 'distance'])),
            moves: z.array(stabilityMoveSchema),
          }),
        ),
      })
      .meta({ title: 'BacklogStability' }),
  },
  errors: [404],
  async handler({ services, user, params, query }) {
    return backlogStabilityReport(services.db, params.productId, user.id, {
      weeks: query.weeks,
      timeZone: query.timeZone,
    });
  },
});

/** The link the product owner shares: on PUBLIC_URL when set (behind a proxy), else on the request's origin. */
export function dashboardUrl(request: Request, publicUrl: string | undefined, token: string) {
  return `${new URL(publicUrl ?? request.url).origin}/share/dashboard/${token}`;
}

export const createDashboardLinkOperation = defineOperation({
  operationId: 'createDashboardLink',
  method: 'POST',
  path: '/products/{productId}/dashboard-links',
  summary: 'Create an expiring share link to the stakeholder dashboard (product owner)',
  description: 'The token and link are shown only in this response; only the token’s hash is stored.',
  tag: 'Metrics',
  auth: 'token',
  params: { productId: productIdParam },
  body: dashboardLinkSchema,
  success: {
    status: 201,
    description: 'The link to share',
    schema: z
      .object({
        id,
        label: z.string(),
        token: z.string(),
        url: z.url(),
        expiresAt: isoDateTime,
        itemIds: z.array(id),
      })
      .meta({ title: 'DashboardLink' }),
  },
  errors: [403, 404],
  async handler({ request, services, user, params, body }) {
    const link = await createDashboardLink(services.db, params.productId, user.id, body);
    services.log.info({
      event: 'dashboard_link_created',
      productId: params.productId,
      linkId: link.id,
      via: 'api',
    });
    return { ...link, url: dashboardUrl(request, services.config.PUBLIC_URL, link.token) };
  },
});

export const revokeDashboardLinkOperation = defineOperation({
  operationId: 'revokeDashboardLink',
  method: 'DELETE',
  path: '/products/{productId}/dashboard-links/{linkId}',
  summary: 'Revoke a dashboard share link (product owner)',
  tag: 'Metrics',
  auth: 'token',
  params: {
    productId: productIdParam,
    linkId: { description: 'The link’s id, as returned by createDashboardLink', format: 'uuid' },
  },
  success: {
    status: 204,
    description: 'Revoked: the link now shows a clear page and no data',
    schema: undefined,
  },
  errors: [403, 404],
  async handler({ services, user, params }) {
    await revokeDashboardLink(services.db, params.productId, user.id, params.linkId);
    services.log.info({
      event: 'dashboard_link_revoked',
      productId: params.productId,
      linkId: params.linkId,
      via: 'api',
    });
  },
});

const debtStatusSchema = z.enum(['none', 'under', 'on', 'over', 'unknown']).meta({
  description:
    'Against the share, with 5 percentage points of tolerance either side; unknown when nothing was accepted or an accepted item had no estimate',
});

export const getDebtShareOperation = defineOperation({
  operationId: 'getDebtShareHistory',
  method: 'GET',
  path: '/products/{productId}/debt-share',
  summary: 'The technical-debt share, and per closed sprint the share of the accepted points that were debt',
  tag: 'Metrics',
  auth: 'token',
  params: { productId: productIdParam },
  success: {
    status: 200,
    description:
      'The share now, and per closed sprint (oldest first) what was delivered against the share then',
    schema: z
      .object({
        share: z.number().int().nullable().meta({ description: 'Percent now; null when no share is set' }),
        sprints: z.array(
          z.object({
            sprintId: id,
            name: z.string(),
            closedAt: isoDateTime.nullable(),
            share: z.number().int().nullable().meta({ description: 'The share in force when it closed' }),
            acceptedPoints: z.number().int(),
            debtPoints: z.number().int().meta({ description: 'Accepted points of technical-debt items' }),
            percent: z.number().int().nullable().meta({ description: 'null when nothing was accepted' }),
            status: debtStatusSchema,
            unestimatedDebt: z
              .number()
              .int()
              .meta({ description: 'Accepted debt items without an estimate' }),
            unestimatedOther: z.number().int(),
          }),
        ),
      })
      .meta({ title: 'DebtShareHistory' }),
  },
  errors: [404],
  async handler({ services, user, params }) {
    return debtShareHistory(services.db, params.productId, user.id);
  },
});

export const metricsOperations: readonly Operation[] = [
  getDebtShareOperation,
  getVelocityOperation,
  getBurndownOperation,
  getForecastOperation,
  getQualityMetricsOperation,
  getBacklogStabilityOperation,
  createDashboardLinkOperation,
  revokeDashboardLinkOperation,
];
