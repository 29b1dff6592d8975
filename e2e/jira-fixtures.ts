import type { APIRequestContext } from '@playwright/test';
import { createStandinAdminClient } from '../scripts/jira-standin/admin-client';
import type { SeededProject, SeedIssue, StandinAccount } from '../scripts/jira-standin/admin-types';
import { api } from './api-fixtures';
import { unique } from './fixtures';

// The Jira stand-in (scripts/jira-standin) that Playwright starts beside the app (playwright.config.ts), and the
// data a spec makes in it for itself. Specs run side by side against the one stand-in, so each one seeds a project
// with a key of its own and signs in with an account of its own (addAccount), never with reset().

const port = Number(process.env.E2E_JIRA_PORT ?? 4320);

/** Where the stand-in listens and its default account's credentials (passed to it as flags, so they are fixed). */
export const jiraStandin = {
  port,
  url: `http://127.0.0.1:${port}`,
  credentials: {
    email: 'refinery-e2e@standin.example',
    apiToken: 'e2e-standin-api-token',
    pat: 'e2e-standin-personal-access-token',
  },
} as const;

/** The stand-in's admin API (not Jira's): seeding, editing "as a Jira user", reading issues back. */
export const jiraAdmin = createStandinAdminClient(jiraStandin.url);

/** A project key of this test's own: `J` and seven capital letters or digits (Jira allows ten). */
export const uniqueProjectKey = () => `J${unique().toUpperCase().slice(-7)}`;

export interface JiraSite {
  /** an account of this test's own: a Jira administrator (may browse, edit and register webhooks) */
  account: StandinAccount;
  project: SeededProject;
  /** an issue's key by its summary as seeded */
  keyOf(summary: string): string;
}

/** Seeds a project with a unique key and these issues (in this rank order), and an account of the test's own. */
export async function jiraSite(issues: SeedIssue[]): Promise<JiraSite> {
  const account = await jiraAdmin.addAccount({ displayName: `E2E ${unique().slice(-5)}` });
  const project = await jiraAdmin.seedProject({ key: uniqueProjectKey(), issues });
  const keyOf = (summary: string) => {
    const issue = project.issues.find((i) => i.summary === summary);
    if (!issue) throw new Error(`no issue “${summary}” in ${project.key}`);
    return issue.key;
  };
  return { account, project, keyOf };
}

/** The product's backlog through the API, top first, with each item's Jira key (the item's `externalKey`). */
export async function backlogWithKeys(request: APIRequestContext, token: string, productId: string) {
  const { items } = await api(request, token, 'GET', `/products/${productId}/items`);
  return Promise.all(
    (items as Array<{ id: string; title: string }>).map(async ({ id, title }) => {
      const item = await api(request, token, 'GET', `/items/${id}`);
      return { id, title, key: item.externalKey as string | null, estimate: item.estimate as number | null };
    }),
  );
}

/** Invites a demo person into the product in a role and accepts the invite as them (both by the API). */
export async function addMember(
  request: APIRequestContext,
  ownerToken: string,
  productId: string,
  memberToken: string,
  role: 'team_member' | 'stakeholder',
) {
  const invite = await api(request, ownerToken, 'POST', `/products/${productId}/invites`, { role });
  await api(request, memberToken, 'POST', `/invites/${invite.token}/accept`);
}
