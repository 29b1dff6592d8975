import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { can } from '~/domain/roles';
import {
  applyProposalSchema,
  type ProposalMode,
  proposalModes,
  proposeOrder,
} from '~/services/backlog/proposals.server';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import { getProduct } from '~/services/products.server';
import { appliedOrderMessage } from '~/domain/order-proposals';
import { modeLabels } from './modes';
import { fieldErrorsOf } from '~/utils/form-values';
import { orFormError, orRespond } from '~/utils/route-errors.server';

export async function loadProposal(context: AppLoadContext, productId: string, userId: string, url: URL) {
  const { db } = context.app;
  const raw = url.searchParams.get('mode');
  const parsed = z.enum(proposalModes).safeParse(raw ?? 'wsjf');
  const mode: ProposalMode = parsed.success ? parsed.data : 'wsjf';
  const product = await orRespond(getProduct(db, productId, userId));
  const proposal = await orRespond(proposeOrder(db, productId, userId, mode));
  const rows = proposal.rows.map(({ rank: _rank, ...row }) => row);
  return {
    mode,
    modeError: parsed.success ? null : 'That order is not known; showing the WSJF order.',
    rows,
    scored: rows.some((r) => r.wsjf !== null),
    prioritised: rows.some((r) => r.wsjf !== null || r.moscow !== null),
    moving: rows.filter((r) => r.move !== 0).length,
    mayOrder: can(product.role, 'backlog.order'),
  };
}

export type ApplyResult =
  | { ok: true; message: string; moved: number; at: number }
  | { ok: false; formError?: string; fieldErrors: Record<string, string> };

const refuse = (status: number, fieldErrors: Record<string, string>, formError?: string) =>
  data({ ok: false, fieldErrors, formError } satisfies ApplyResult, { status });

export async function applyFromForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const everything = form.get('all') === 'yes';
  const parsed = applyProposalSchema.safeParse({
    mode: form.get('mode'),
    itemIds: everything ? undefined : form.getAll('itemIds').filter((v) => typeof v === 'string'),
    reason: typeof form.get('reason') === 'string' ? form.get('reason') : '',
  });
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error);
    if (errors.mode) return refuse(400, {}, 'That order is not known. Reload the page and try again.');
    return refuse(400, errors);
  }
  const result = await orFormError(
    runBacklogCommand(context.app, 'applyProposal', { productId }, userId, parsed.data),
  );
  if ('ok' in result)
    return refuse(result.status, result.field ? { [result.field]: result.formError } : {}, result.formError);
  context.app.log.info({
    event: 'proposal_applied',
    productId,
    by: userId,
    mode: parsed.data.mode,
    moved: result.moved,
  });
  return {
    ok: true,
    message: appliedOrderMessage(
      result.moved,
      `the ${modeLabels[parsed.data.mode]} order to ${result.order.length} ${result.order.length === 1 ? 'item' : 'items'}`,
    ),
    moved: result.moved,
    at: Date.now(),
  } satisfies ApplyResult;
}
