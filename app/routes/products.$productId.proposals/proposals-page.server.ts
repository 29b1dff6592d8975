import { type AppLoadContext, data } from '@remix-run/node';
import { z } from 'zod';
import { appliedOrderMessage } from '~/domain/order-proposals';
import { can } from '~/domain/roles';
import { runBacklogCommand } from '~/services/backlog/commands.server';
import {
  applyProposalSchema,
  type ProposalMode,
  proposalModes,
  proposeOrder,
} from '~/services/backlog/proposals.server';
import { getProduct } from '~/services/products.server';
import { errorsOnLists } from '~/utils/form-replies';
import { type FormReply, formRefusal, parseFormSubmission, refuseSubmission } from '~/utils/form-submission';
import { orFormError, orRespond } from '~/utils/route-errors.server';
import { modeLabels } from './modes';

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
    /** the agreed prioritisation criteria in force (issue 17) */
    criteriaVersion: proposal.criteriaVersion,
    weights: proposal.weights,
  };
}

/** What the apply form answers (decision 0035): the form's reply, and once applied what moved. */
export interface ApplyReply {
  result: FormReply;
  message?: string;
  moved?: number;
  /** when it was applied: the page empties the selection and the form once per apply */
  at?: number;
}

const refused = (result: FormReply, status: number) => data({ result } satisfies ApplyReply, { status });
/** The rows are not sent back: the page keeps its own selection. */
const hideFields = ['itemIds'];

/** "Select all" applies to every item (no itemIds); otherwise the ticked rows, at least two of them. */
const applyToAll = applyProposalSchema.omit({ itemIds: true });
const applyToChosen = applyProposalSchema.extend({ itemIds: applyProposalSchema.shape.itemIds.unwrap() });

export async function applyFromForm(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const submission = parseFormSubmission(form, form.get('all') === 'yes' ? applyToAll : applyToChosen);
  if (submission.status !== 'success') {
    if (submission.error?.mode)
      return refused(formRefusal('That order is not known. Reload the page and try again.'), 400);
    return refused(errorsOnLists(submission.reply({ hideFields }), ['itemIds']), 400);
  }
  const input = submission.value;
  const result = await orFormError(
    runBacklogCommand(context.app, 'applyProposal', { productId }, userId, input),
  );
  if ('ok' in result)
    return refused(
      refuseSubmission(submission, result.formError, { field: result.field, hideFields }),
      result.status,
    );
  context.app.log.info({
    event: 'proposal_applied',
    productId,
    by: userId,
    mode: input.mode,
    moved: result.moved,
  });
  return {
    // The reason is emptied for the next proposal.
    result: submission.reply({ resetForm: true }),
    message: appliedOrderMessage(
      result.moved,
      `the ${modeLabels[input.mode]} order to ${result.order.length} ${result.order.length === 1 ? 'item' : 'items'}`,
    ),
    moved: result.moved,
    at: Date.now(),
  } satisfies ApplyReply;
}
