import { type AppLoadContext, data } from '@remix-run/node';
import { type RequestState, requestStates } from '~/domain/requests';
import { currentCriteria } from '~/services/requests/criteria.server';
import { runRequestForm } from '~/services/requests/request-forms.server';
import {
  listRequestLinks,
  listRequests,
  openItemsForTriage,
  threadsOf,
} from '~/services/requests/requests.server';
import { runningSprintSummary } from '~/services/requests/urgent.server';
import { orRespond } from '~/utils/route-errors.server';

/** The requests page: the inbox (PO: triage; team: read), the reader's own requests, the send form, the links. */
export async function loadRequestsPage(context: AppLoadContext, productId: string, userId: string, url: URL) {
  const { db } = context.app;
  const raw = url.searchParams.get('state');
  const state = requestStates.includes(raw as RequestState) ? (raw as RequestState) : undefined;
  const inbox = await orRespond(listRequests(db, productId, userId, { state }));
  const threads = await threadsOf(
    db,
    inbox.requests.map((r) => r.id),
  );
  const criteria = await currentCriteria(db, productId);
  return {
    userId,
    role: inbox.role,
    mayTriage: inbox.mayTriage,
    mayRecordAroundPo: inbox.role !== 'stakeholder',
    state: state ?? null,
    counts: inbox.counts,
    requests: inbox.requests.map((r) => ({ ...r, messages: threads.get(r.id) ?? [] })),
    criteria: criteria ? { version: criteria.version, urgency: criteria.urgency } : null,
    items: inbox.mayTriage ? await openItemsForTriage(db, productId) : [],
    links: inbox.mayTriage ? await listRequestLinks(db, productId, userId) : [],
    /** the running sprint, for the product owner: an urgent request may be brought into it */
    runningSprint: inbox.mayTriage ? await runningSprintSummary(db, productId) : null,
  };
}

export async function requestsAction(
  context: AppLoadContext,
  productId: string,
  userId: string,
  form: FormData,
) {
  const { reply, status } = await runRequestForm(context.app, productId, userId, form);
  return data(reply, { status });
}
