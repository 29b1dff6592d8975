import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectedStatusView, JiraPageView } from '~/components/jira/types';
import type { JiraReply } from './jira-page.server';

// The Jira page as the server renders it, in each state: what a person reads, and what is never in the HTML.
// Remix's hooks answer from `screen` (no router here); everything else is the page's own code.

const screen: { page: JiraPageView; reply: JiraReply | undefined } = {
  page: undefined as unknown as JiraPageView,
  reply: undefined,
};
const revalidate = vi.fn();

vi.mock('@remix-run/react', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@remix-run/react')>()),
  useLoaderData: () => screen.page,
  useActionData: () => screen.reply,
  useNavigation: () => ({ state: 'idle' }),
  useRevalidator: () => ({ state: 'idle', revalidate }),
  useRouteLoaderData: () => ({ timeZone: 'UTC' }),
  Form: ({ children, ...props }: { children?: ReactNode }) => createElement('form', props, children),
}));

const { default: JiraPage } = await import('./route');

const now = '2026-12-02T12:00:00.000Z';
const render = () => renderToStaticMarkup(createElement(JiraPage));
/** the text a person reads: tags dropped, spaces joined */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const connected: ConnectedStatusView = {
  connected: true,
  keysConfigured: true,
  kind: 'jira_cloud',
  baseUrl: 'https://clinic.atlassian.net',
  accountEmail: 'po@clinic.example',
  accountName: 'Pat Owner',
  fieldMap: {
    storyPoints: 'customfield_10016',
    criteria: { kind: 'description-section', heading: 'Acceptance criteria' },
    epicLink: 'parent',
    rank: 'customfield_10019',
  },
  statusMap: { accepted: 'Done', rejected: null },
  commentDecisions: false,
  scope: { jql: 'project = ABC' },
  webhook: false,
  lastSyncAt: '2026-12-02T11:56:00.000Z',
  lastError: null,
  linkedItems: 42,
  pushes: { pending: 1, done: 17, failed: 1 },
  failedPushes: [
    {
      id: 'p1',
      op: 'transition',
      issueKey: 'ABC-7',
      error: 'No transition leads to <b>Done</b>',
      attempts: 3,
    },
  ],
  jobs: [
    {
      id: 'j2',
      kind: 'import',
      state: 'running',
      progress: { read: 40, total: 120, created: 30, updated: 10, unchanged: 0, failed: 0 },
      errors: [],
      createdAt: '2026-12-02T11:59:00.000Z',
      finishedAt: null,
      retryAt: null,
    },
    {
      id: 'j1',
      kind: 'pull',
      state: 'failed',
      progress: { read: 5, total: null, created: 0, updated: 4, unchanged: 0, failed: 1 },
      errors: [{ issueKey: 'ABC-9', message: 'Summary is required', at: '2026-12-02T10:00:00.000Z' }],
      createdAt: '2026-12-02T10:00:00.000Z',
      finishedAt: '2026-12-02T10:01:00.000Z',
      retryAt: null,
    },
  ],
};

const pageOf = (status: JiraPageView['status'], mayManage = true): JiraPageView => ({
  status,
  mayManage,
  pollSeconds: 60,
  now,
});

beforeEach(() => {
  screen.reply = undefined;
  revalidate.mockClear();
});

describe('not connected', () => {
  it('offers the product owner the connect form, with both kinds’ fields before scripts run', () => {
    screen.page = pageOf({ connected: false, keysConfigured: true });
    const html = render();
    expect(text(html)).toContain('Not connected yet: connect a Jira site to import issues.');
    expect(html).toContain('type="password"');
    expect(text(html)).toContain('Account email');
    expect(text(html)).toContain('Test connection');
    expect(html).toMatch(/<button[^>]*name="intent"[^>]*value="connect"/);
    expect(text(html)).not.toContain('Sync status');
  });

  it('tells a member who connects, with no form', () => {
    screen.page = pageOf({ connected: false, keysConfigured: true }, false);
    const html = render();
    expect(text(html)).toContain('The product owner connects this product to Jira here.');
    expect(html).not.toContain('<form');
  });

  it('says how to fix a server without TRACKER_SECRET_KEYS, instead of a form that cannot work', () => {
    screen.page = pageOf({ connected: false, keysConfigured: false });
    const html = render();
    expect(text(html)).toContain('has no TRACKER_SECRET_KEYS configured');
    expect(text(html)).toContain('“Jira sync”');
    expect(html).not.toContain('type="password"');
  });

  it('shows a failed check beside its field, and never puts the token back', () => {
    screen.page = pageOf({ connected: false, keysConfigured: true });
    screen.reply = {
      intent: 'test',
      result: {
        status: 'error',
        initialValue: { kind: 'jira_cloud', baseUrl: 'https://clinic.atlassian.net', email: 'a@b.c' },
        error: { token: ['Jira did not accept the token (401)'] },
      },
    };
    const html = render();
    expect(html).toMatch(/id="[^"]*-error"[^>]*role="alert"[^>]*>.*Jira did not accept the token \(401\)/);
    expect(html).toMatch(/<input id="jira-connect-token"[^>]*aria-invalid="true"[^>]*type="password"/);
    expect(html).toContain('value="https://clinic.atlassian.net"');
  });

  it('shows a successful check: the account and what it may do', () => {
    screen.page = pageOf({ connected: false, keysConfigured: true });
    screen.reply = {
      intent: 'test',
      result: { status: 'success', initialValue: { kind: 'jira_cloud' } },
      check: {
        ok: true,
        accountName: 'Pat Owner',
        serverTitle: 'Clinic Jira',
        canBrowse: true,
        canEdit: false,
        canAdminWebhooks: false,
      },
    };
    const said = text(render());
    expect(said).toContain('the token signs in as Pat Owner on Clinic Jira');
    expect(said).toContain('May not edit issues');
    expect(said).toContain('Jira is asked for changes every 60 s instead');
  });
});

describe('connected', () => {
  it('shows the product owner the connection, the status with a running import, and the forms', () => {
    screen.page = pageOf(connected);
    const html = render();
    const said = text(html);
    expect(said).toContain('Connected to https://clinic.atlassian.net as Pat Owner (Jira Cloud)');
    expect(said).toContain('Change credentials');
    expect(said).toContain('Disconnect from Jira');
    expect(said).toContain('Sync now');
    // The running import, read out and drawn.
    expect(html).toMatch(/role="status"[^>]*>Import running: 40 of 120 issues read\./);
    expect(html).toContain('<progress max="120" value="40"');
    expect(said).toContain('30 created · 10 updated · 0 unchanged · 0 failed');
    // Last sync: relative, and exact in a <time>.
    expect(said).toContain('4 minutes ago');
    expect(html).toContain('<time dateTime="2026-12-02T11:56:00.000Z">2 Dec 2026, 11:56 UTC</time>');
    expect(said).toContain('No webhook registered: Jira is polled every 60 s.');
    // The failed job: its errors and a Retry; the failed push with Jira's words as text, never as HTML.
    expect(said).toContain('5 issues read');
    expect(said).toContain('ABC-9: Summary is required');
    expect(said).not.toContain('Retry');
    expect(html).toContain('No transition leads to &lt;b&gt;Done&lt;/b&gt;');
    expect(html).toContain('href="https://clinic.atlassian.net/browse/ABC-7"');
    // Import and settings forms, filled from what is in use; the token field starts empty.
    expect(html).toContain('project = ABC</textarea>');
    expect(html).toContain('value="customfield_10016"');
    expect(html).toContain('value="Done"');
    expect(html).not.toMatch(/type="password"[^>]*value=/);
  });

  it('shows a member the status and the map read-only, without the Jira account’s email or any form', () => {
    screen.page = pageOf({ ...connected, accountEmail: null }, false);
    const html = render();
    const said = text(html);
    expect(said).toContain('Sync status');
    expect(said).toContain('Import running: 40 of 120 issues read.');
    expect(said).toContain('The description’s section headed “Acceptance criteria”');
    expect(said).toContain('Moves to “Done”');
    expect(html).not.toContain('<form');
    expect(said).not.toContain('Sync now');
    expect(said).not.toContain('Retry');
  });

  it('says a reconnect is done, with the credentials folded away again', () => {
    screen.page = pageOf(connected);
    screen.reply = { intent: 'connect', result: { initialValue: null }, message: 'Connected as Pat Owner.' };
    const html = render();
    expect(html).toMatch(/role="status"[^>]*>Connected as Pat Owner\./);
    expect(html).toMatch(/<details class="new-item"><summary>Change credentials/);
  });

  it('offers “Retry” on a failed job once nothing runs', () => {
    screen.page = pageOf({ ...connected, jobs: connected.jobs.slice(1) });
    const html = render();
    expect(text(html)).toContain('Retry the failed sync');
    expect(html).not.toContain('<progress');
    // Nothing runs: the page stops following.
    expect(text(html)).toContain('Nothing running now.');
  });

  it('says “No sync yet” before the first import', () => {
    screen.page = pageOf({ ...connected, scope: null, lastSyncAt: null, jobs: [], failedPushes: [] });
    const said = text(render());
    expect(said).toContain('No sync yet.');
    expect(said).toContain('None yet: import issues first');
    expect(said).not.toContain('Sync now');
  });

  it('lists the detected map’s candidates by name, and fills the form with it', () => {
    screen.page = pageOf(connected);
    screen.reply = {
      intent: 'detect',
      result: { status: 'success' },
      preview: {
        map: {
          storyPoints: 'customfield_10028',
          criteria: { kind: 'field', fieldId: 'customfield_10050' },
          epicLink: 'parent',
          rank: 'customfield_10019',
        },
        candidates: {
          storyPoints: [
            { id: 'customfield_10016', name: 'Story point estimate' },
            { id: 'customfield_10028', name: 'Story Points' },
          ],
        },
      },
    };
    const html = render();
    const said = text(html);
    expect(said).toContain(
      'Story points: Story point estimate customfield_10016 , Story Points customfield_10028',
    );
    expect(said).toContain('Story Points (customfield_10028)');
    expect(html).toContain('value="customfield_10050"');
    expect(html).toMatch(/<datalist id="jira-settings-storyPoints-list">/);
  });
});
