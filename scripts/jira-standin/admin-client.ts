/**
 * The admin API over HTTP, for a stand-in running in another process (`main.ts` under Playwright): the same
 * `StandinAdmin` interface as `startJiraStandin().admin`.
 */
import type { StandinAdmin } from './admin-types';

export function createStandinAdminClient(url: string): StandinAdmin {
  const base = url.replace(/\/$/, '');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}/__standin${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const messages = [...(data?.errorMessages ?? []), ...Object.values(data?.errors ?? {})];
      throw new Error(`Jira stand-in admin ${method} ${path}: ${response.status} ${messages.join(' ')}`);
    }
    return data as T;
  };
  const accountQuery = (accountId?: string) =>
    accountId ? `?accountId=${encodeURIComponent(accountId)}` : '';
  const key = encodeURIComponent;

  return {
    reset: () => call('POST', '/reset'),
    seedProject: (seed) => call('POST', '/projects', seed),
    createIssue: (projectKey, issue) => call('POST', `/projects/${key(projectKey)}/issues`, issue),
    editIssue: (issueKey, edit) => call('PATCH', `/issues/${key(issueKey)}`, edit),
    commentIssue: (issueKey, text) => call('POST', `/issues/${key(issueKey)}/comments`, { body: text }),
    deleteIssue: (issueKey) => call('DELETE', `/issues/${key(issueKey)}`),
    getIssue: async (issueKey) => {
      try {
        return await call('GET', `/issues/${key(issueKey)}`);
      } catch (error) {
        if (error instanceof Error && / 404 /.test(error.message)) return null;
        throw error;
      }
    },
    listIssues: (projectKey) => call('GET', `/projects/${key(projectKey)}/issues`),
    addAccount: (seed = {}) => call('POST', '/accounts', seed),
    revokeToken: (options = {}) => call('POST', '/tokens/revoke', options),
    restoreToken: (options = {}) => call('POST', '/tokens/restore', options),
    setPermissions: (permissions, options = {}) => call('PATCH', '/permissions', { permissions, ...options }),
    injectRateLimit: (options) => call('POST', '/rate-limit', options),
    requests: (filter = {}) => call('GET', `/requests${accountQuery(filter.accountId)}`),
    clearRequests: () => call('DELETE', '/requests'),
    deliveries: () => call('GET', '/deliveries'),
    webhooks: () => call('GET', '/webhooks'),
  };
}
