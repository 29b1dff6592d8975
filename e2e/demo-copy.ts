import type { APIRequestContext } from '@playwright/test';
import { demoBacklog } from '../db/seed/demo-backlog';
import { demoDefinitionOfDone, demoDefinitionOfReady, demoDetails } from '../db/seed/demo-details';
import { api, tokenOf } from './api-fixtures';
import { demo, unique } from './fixtures';

// A product of a spec's own that looks like the demo product: the demo owner's, with the demo team members and
// stakeholders in their roles, the demo's Definitions of Ready and Done and a copy of its backlog (types, epics,
// statuses, estimates, criteria, WSJF, MoSCoW, labels, ready ticks, dependencies), made through the JSON API in a
// second or two. Specs that change a product work on one of these, so that specs can run at the same time without
// stepping on each other, and the demo product itself stays as seeded for the specs that show the demo.
// Not copied: the demo's sprints, meetings and decision-log history (they need dates in the past).

export interface DemoCopy {
  productId: string;
  name: string;
  /** The demo owner's API token. */
  token: string;
  /** An item's id by its demo title. */
  itemId: (title: string) => string;
}

const invitedRoles = [
  ...demo.teamMembers.map((email) => ({ email, role: 'team_member' })),
  ...demo.stakeholders.map((email) => ({ email, role: 'stakeholder' })),
];

/** Makes a copy of the demo product (see above); `backlog: false` leaves its backlog empty. */
export async function demoCopy(
  request: APIRequestContext,
  options: { backlog?: boolean } = {},
): Promise<DemoCopy> {
  const token = await tokenOf(request, demo.owner);
  const name = `Harbor copy ${unique()}`;
  const product = await api(request, token, 'POST', '/products', { name });
  const productId: string = product.id;
  await Promise.all(invitedRoles.map((person) => addMember(request, token, productId, person)));
  await setDefinitions(request, productId);
  const ids = new Map<string, string>();
  if (options.backlog !== false) {
    for (const item of demoBacklog) {
      const details = demoDetails[item.title] ?? {};
      const [userBusinessValue, timeCriticality, riskReduction, jobSize] = details.wsjf ?? [];
      const created = await api(request, token, 'POST', `/products/${productId}/items`, {
        type: item.type,
        title: item.title,
        description: item.description,
        estimate: item.estimate ?? null,
        // A new item starts as new or refined; later statuses are set below, once its links are there too.
        status: item.status === 'new' || item.status === undefined ? 'new' : 'refined',
        parentId: item.epic ? (ids.get(item.epic) ?? null) : null,
        labels: details.labels ?? [],
        moscow: details.moscow ?? null,
        userBusinessValue: userBusinessValue ?? null,
        timeCriticality: timeCriticality ?? null,
        riskReduction: riskReduction ?? null,
        jobSize: jobSize ?? null,
        criteria: details.criteria ?? '',
        readyChecks: Object.fromEntries((details.readyChecks ?? []).map((id) => [id, true])),
      });
      ids.set(item.title, created.id);
    }
    for (const [title, details] of Object.entries(demoDetails))
      for (const blocker of details.blockedBy ?? [])
        await api(request, token, 'POST', `/items/${ids.get(title)}/dependencies`, {
          blockedById: ids.get(blocker),
        });
    for (const item of demoBacklog)
      if (item.status && item.status !== 'new' && item.status !== 'refined')
        await api(request, token, 'PATCH', `/items/${ids.get(item.title)}`, {
          status: item.status,
          // The seed sets statuses as they are; the API checks the Definition of Ready, which some demo items
          // that are ready do not tick all of.
          ...(item.status === 'ready' ? { readyOverrideReason: 'Ready as in the demo data' } : {}),
        });
  }
  const itemId = (title: string) => {
    const id = ids.get(title);
    if (!id) throw new Error(`no item “${title}” in the demo copy`);
    return id;
  };
  return { productId, name, token, itemId };
}

/** Invites a demo person in their role and accepts the invite as them. */
async function addMember(
  request: APIRequestContext,
  ownerToken: string,
  productId: string,
  person: { email: string; role: string },
) {
  const invite = await api(request, ownerToken, 'POST', `/products/${productId}/invites`, {
    role: person.role,
  });
  await api(request, await tokenOf(request, person.email), 'POST', `/invites/${invite.token}/accept`);
}

/**
 * The demo's Definitions of Ready and Done, with the demo's line ids (the copied items' ready ticks name them),
 * through the settings form as the owner (there is no API operation for them).
 */
async function setDefinitions(request: APIRequestContext, productId: string) {
  const login = await request.post('/login', { form: { email: demo.owner, password: demo.password } });
  if (!login.ok()) throw new Error(`log in as ${demo.owner}: ${login.status()}`);
  for (const [kind, lines] of [
    ['ready', demoDefinitionOfReady],
    ['done', demoDefinitionOfDone],
  ] as const) {
    const form: Record<string, string> = { kind };
    lines.forEach((line, i) => {
      form[`lines[${i}].id`] = line.id;
      form[`lines[${i}].text`] = line.text;
    });
    const saved = await request.post(`/products/${productId}/settings`, { form });
    const answer = await saved.text();
    if (!saved.ok() || !answer.includes(' saved.'))
      throw new Error(`save the Definition of ${kind}: ${saved.status()} ${answer.slice(0, 300)}`);
  }
}
