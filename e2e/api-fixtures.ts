import { type APIRequestContext, expect } from '@playwright/test';
import { demo, unique } from './fixtures';

// Data a spec makes for itself through the JSON API, so that it shares nothing with the demo product the other
// specs use (the whole suite runs against one server).

/** One API call as `token`; fails the test, with the answer, on an error status. */
export async function api(
  request: APIRequestContext,
  token: string,
  method: string,
  path: string,
  data?: unknown,
) {
  const response = await request.fetch(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    data,
  });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return response.status() === 204 ? null : response.json();
}

/** An API token of a demo person (all have the demo password). */
export async function tokenOf(request: APIRequestContext, email: string): Promise<string> {
  const login = await request.post('/api/v1/tokens', { data: { email, password: demo.password } });
  expect(login.status(), `an API token for ${email}`).toBe(201);
  return (await login.json()).token;
}

/** An API token of the demo product owner. */
export const ownerToken = (request: APIRequestContext) => tokenOf(request, demo.owner);

/** A fresh product of the demo product owner with the given items, in that order; returns its id and token. */
export async function productWith(
  request: APIRequestContext,
  items: ReadonlyArray<{ title: string; estimate?: number; description?: string; criteria?: string }>,
) {
  const token = await ownerToken(request);
  const product = await api(request, token, 'POST', '/products', { name: `Own data ${unique()}` });
  const ids: string[] = [];
  for (const item of items)
    ids.push((await api(request, token, 'POST', `/products/${product.id}/items`, item)).id);
  return { token, productId: product.id as string, itemIds: ids };
}

/** A fresh product with one done story under review (a running sprint, its review started). */
export async function reviewUnderWay(
  request: APIRequestContext,
  story: { description: string; criteria: string },
) {
  const title = `Book a slot ${unique().slice(-4)}`;
  const { token, productId, itemIds } = await productWith(request, [{ title, estimate: 3, ...story }]);
  const sprint = await api(request, token, 'POST', `/products/${productId}/sprints`, {
    name: 'Sprint 1',
    startDate: '2026-11-02',
    endDate: '2026-11-13',
    goal: 'Patients book online',
  });
  await api(request, token, 'POST', `/sprints/${sprint.id}/items`, { itemId: itemIds[0] });
  await api(request, token, 'PATCH', `/sprints/${sprint.id}`, { state: 'active' });
  await api(request, token, 'POST', `/sprints/${sprint.id}/items/${itemIds[0]}/done`, { done: true });
  const review = await api(request, token, 'POST', `/sprints/${sprint.id}/review`, {});
  return { productId, sessionId: review.sessionId as string, title };
}
