/**
 * The Jira stand-in, driven the way Refinery will drive Jira: the real jira.js 6 client (responses validated by its
 * schemas, a mismatch throws) for Cloud, and fetch for Data Center's v2 paths.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  ApiError,
  AuthError,
  createAgileClient,
  createCloudClient,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
} from 'jira.js';
import { SearchResultsSchema } from 'jira.js/cloud';
import { createClient } from 'jira.js/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStandinAdminClient, type JiraStandin, startJiraStandin } from './index';

type Credentials = { email: string; apiToken: string };

const clientConfig = (jira: JiraStandin, credentials: Credentials = jira.credentials) => ({
  host: jira.url,
  auth: { type: 'basic' as const, email: credentials.email, apiToken: credentials.apiToken },
  onSchemaMismatch: 'throw' as const,
});
const cloudClient = (jira: JiraStandin, credentials?: Credentials) =>
  createCloudClient(clientConfig(jira, credentials));
const agileClient = (jira: JiraStandin, credentials?: Credentials) =>
  createAgileClient(clientConfig(jira, credentials));

const adf = (...paragraphs: string[]) => ({
  type: 'doc' as const,
  version: 1,
  content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

/** Waits for a condition (polling), never for a fixed time. */
async function waitFor<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What jira.js threw, for asserting on its class and Jira's error body. */
async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('Expected the call to fail');
}

const stories = (n: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({ summary: `Story ${i + 1}`, ...extra }));

describe('Jira Cloud stand-in through jira.js', () => {
  let jira: JiraStandin;
  let client: ReturnType<typeof cloudClient>;
  let agile: ReturnType<typeof agileClient>;

  beforeAll(async () => {
    jira = await startJiraStandin({ flavour: 'cloud' });
    client = cloudClient(jira);
    agile = agileClient(jira);
  });
  afterAll(() => jira.stop());
  beforeEach(() => jira.admin.reset());

  const search = async (jql: string) => {
    const page = await client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql,
      fields: ['summary'],
      maxResults: 100,
    });
    return (page.issues ?? []).map((issue) => issue.key);
  };

  it('says who is calling, what the site is, what the account may do, and which fields there are', async () => {
    const me = await client.myself.getCurrentUser();
    expect(me.accountId).toBe(jira.accountId);
    expect(me.emailAddress).toBe(jira.credentials.email);
    const basic = `Basic ${Buffer.from(`${jira.credentials.email}:${jira.credentials.apiToken}`).toString('base64')}`;
    const v2 = await fetch(`${jira.url}/rest/api/2/myself`, { headers: { Authorization: basic } });
    expect(v2.status).toBe(200);
    expect((await v2.json()).accountId).toBe(jira.accountId);

    const info = await client.serverInfo.getServerInfo();
    expect(info).toMatchObject({ deploymentType: 'Cloud', baseUrl: jira.url });

    const { permissions } = await client.permissions.getMyPermissions({
      permissions: 'BROWSE_PROJECTS,EDIT_ISSUES,ADMINISTER',
    });
    expect(Object.keys(permissions ?? {})).toEqual(['BROWSE_PROJECTS', 'EDIT_ISSUES', 'ADMINISTER']);
    expect(permissions?.EDIT_ISSUES.havePermission).toBe(true);

    const fields = await client.issueFields.getFields();
    const byName = (name: string) => fields.find((field) => field.name === name);
    expect(byName('Story Points')).toMatchObject({
      id: 'customfield_10016',
      custom: true,
      schema: { custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' },
    });
    expect(byName('Acceptance Criteria')).toMatchObject({
      id: 'customfield_10020',
      schema: { custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' },
    });
    expect(byName('Rank')).toMatchObject({
      id: 'customfield_10019',
      schema: { custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank' },
    });
    expect(byName('Epic Link')).toMatchObject({
      id: 'customfield_10014',
      schema: { custom: 'com.pyxis.greenhopper.jira:gh-epic-link' },
    });
    expect(byName('Summary')).toMatchObject({ id: 'summary', custom: false });
  });

  it('pages an enhanced search by nextPageToken until isLast, ids only unless fields are asked for', async () => {
    await jira.admin.seedProject({ key: 'REF', issues: stories(7) });
    const jql = 'project = REF ORDER BY Rank ASC';
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql,
        fields: ['summary', 'status'],
        maxResults: 3,
        nextPageToken: token,
      });
      pages++;
      for (const issue of page.issues ?? []) {
        expect(issue.fields).toHaveProperty('summary');
        keys.push(issue.key!);
      }
      token = page.nextPageToken ?? undefined;
      expect(page.isLast).toBe(token === undefined);
    } while (token);
    expect(pages).toBe(3);
    expect(keys).toEqual(['REF-1', 'REF-2', 'REF-3', 'REF-4', 'REF-5', 'REF-6', 'REF-7']);

    const idsOnly = await client.issueSearch.searchAndReconsileIssuesUsingJql({ jql, maxResults: 2 });
    expect(Object.keys(idsOnly.issues![0])).toEqual(['id']);
    const second = await client.issueSearch.searchAndReconsileIssuesUsingJql({
      jql,
      maxResults: 2,
      nextPageToken: idsOnly.nextPageToken ?? undefined,
      fields: ['summary'],
    });
    expect(second.issues!.map((issue) => issue.key)).toEqual(['REF-3', 'REF-4']);

    const foreign = await failure(
      client.issueSearch.searchAndReconsileIssuesUsingJql({
        jql: 'project = REF',
        nextPageToken: idsOnly.nextPageToken ?? undefined,
      }),
    );
    expect(foreign.status).toBe(400);
  });

  it('answers its JQL subset, and refuses bad JQL with Jira’s 400', async () => {
    await jira.admin.seedProject({
      key: 'REF',
      issues: [
        { summary: 'Nine', updated: '2025-03-01T09:00:00Z' },
        { summary: 'Ten', updated: '2025-03-01T10:00:00Z', labels: ['ux'] },
        { summary: 'Half past', updated: '2025-03-01T10:30:00Z', status: 'Done' },
        { summary: 'Next day', updated: '2025-03-02T08:00:00Z' },
      ],
    });
    await jira.admin.seedProject({
      key: 'OTH',
      issues: [{ summary: 'Elsewhere', updated: '2025-03-05T00:00:00Z' }],
    });

    expect(await search('project = REF ORDER BY Rank ASC')).toEqual(['REF-1', 'REF-2', 'REF-3', 'REF-4']);
    expect(await search('key in (REF-3, OTH-1, REF-1) ORDER BY Rank ASC')).toEqual([
      'REF-1',
      'REF-3',
      'OTH-1',
    ]);
    expect(await search('project = REF AND updated >= "2025-03-01 10:00" ORDER BY updated ASC')).toEqual([
      'REF-2',
      'REF-3',
      'REF-4',
    ]);
    expect(await search('project = ref and updated >= "2025/03/01 10:00" order by updated desc')).toEqual([
      'REF-4',
      'REF-3',
      'REF-2',
    ]);
    expect(await search('updated >= "2025-03-01 10:00" ORDER BY updated ASC')).toEqual([
      'REF-2',
      'REF-3',
      'REF-4',
      'OTH-1',
    ]);
    expect(await search('project = REF AND statusCategory = Done')).toEqual(['REF-3']);
    expect(await search('project = REF AND labels = ux')).toEqual(['REF-2']);

    const bad = await failure(search('project = REF AND'));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      errorMessages: [expect.stringContaining('Error in the JQL Query')],
      errors: {},
    });
    const noProject = await failure(search('project = NOPE'));
    expect((noProject.body as { errorMessages: string[] }).errorMessages).toEqual([
      "The value 'NOPE' does not exist for the field 'project'.",
    ]);
    const noIssue = await failure(search('key in (REF-1, REF-99)'));
    expect((noIssue.body as { errorMessages: string[] }).errorMessages[0]).toContain(
      "'REF-99' does not exist",
    );
    const noField = await failure(search('colour = red'));
    expect((noField.body as { errorMessages: string[] }).errorMessages[0]).toContain(
      "Field 'colour' does not exist",
    );
    const badDate = await failure(search('updated >= "yesterday"'));
    expect((badDate.body as { errorMessages: string[] }).errorMessages[0]).toContain(
      "Date value 'yesterday'",
    );
    const unbounded = await failure(search('ORDER BY Rank ASC'));
    expect((unbounded.body as { errorMessages: string[] }).errorMessages[0]).toContain('Unbounded JQL');
  });

  it('edits an issue with ADF and custom fields, bumps updated and records the change', async () => {
    await jira.admin.seedProject({
      key: 'REF',
      issues: [
        { summary: 'The epic', type: 'Epic' },
        { summary: 'A story', description: 'Old text', updated: '2025-01-01T00:00:00Z' },
      ],
    });
    const description = adf('As a PO I want this', 'so that that.');
    const criteria = adf('Given a backlog', 'When I sync');
    await client.issues.editIssue({
      issueIdOrKey: 'REF-2',
      fields: {
        summary: 'A better story',
        description,
        labels: ['sync', 'jira'],
        customfield_10016: 5,
        customfield_10020: criteria,
        parent: { key: 'REF-1' },
      },
    });
    const issue = await client.issues.getIssue({ issueIdOrKey: 'REF-2', expand: 'changelog' });
    expect(issue.fields).toMatchObject({
      summary: 'A better story',
      description,
      labels: ['sync', 'jira'],
      customfield_10016: 5,
      customfield_10020: criteria,
      customfield_10014: 'REF-1',
      parent: { key: 'REF-1' },
      status: { name: 'To Do', statusCategory: { key: 'new' } },
    });
    expect(Date.parse(issue.fields!.updated)).toBeGreaterThan(Date.parse('2025-01-02T00:00:00Z'));
    const items = issue.changelog!.histories!.at(-1)!.items!;
    expect(items).toContainEqual(
      expect.objectContaining({ field: 'summary', fromString: 'A story', toString: 'A better story' }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ field: 'Story Points', fieldId: 'customfield_10016', toString: '5' }),
    );
    expect((await jira.admin.getIssue('REF-2'))?.description).toBe('As a PO I want this\n\nso that that.');

    await client.issues.editIssue({
      issueIdOrKey: 'REF-2',
      update: { labels: [{ add: 'more' }, { remove: 'jira' }] },
    });
    expect((await jira.admin.getIssue('REF-2'))?.labels).toEqual(['sync', 'more']);

    const invalid = await failure(
      client.issues.editIssue({
        issueIdOrKey: 'REF-2',
        fields: { summary: '', description: 'not ADF', status: { id: '3' } },
      }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      errorMessages: [],
      errors: {
        summary: 'You must specify a summary of the issue.',
        description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
        status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.",
      },
    });
    expect((await jira.admin.getIssue('REF-2'))?.summary).toBe('A better story');
  });

  it('creates issues and sub-tasks, at the bottom of the rank order', async () => {
    await jira.admin.seedProject({ key: 'REF', issues: [{ summary: 'Epic', type: 'Epic' }, ...stories(2)] });
    const created = await client.issues.createIssue({
      fields: {
        project: { key: 'REF' },
        issuetype: { name: 'Story' },
        summary: 'Made by Refinery',
        description: adf('Text'),
        customfield_10016: 2,
        parent: { key: 'REF-1' },
      },
    });
    expect(created).toEqual({
      id: expect.any(String),
      key: 'REF-4',
      self: `${jira.url}/rest/api/3/issue/${created.id}`,
    });
    const sub = await client.issues.createIssue({
      fields: {
        project: { key: 'REF' },
        issuetype: { name: 'Sub-task' },
        summary: 'A piece',
        parent: { key: 'REF-4' },
      },
    });
    const parent = await client.issues.getIssue({ issueIdOrKey: 'REF-4' });
    expect(parent.fields?.subtasks.map((s: { key: string }) => s.key)).toEqual([sub.key]);
    expect(await search('project = REF ORDER BY Rank ASC')).toEqual([
      'REF-1',
      'REF-2',
      'REF-3',
      'REF-4',
      'REF-5',
    ]);

    const orphan = await failure(
      client.issues.createIssue({
        fields: { project: { key: 'REF' }, issuetype: { name: 'Sub-task' }, summary: 'x' },
      }),
    );
    expect((orphan.body as { errors: Record<string, string> }).errors.parent).toContain(
      'parent issue key or id not specified',
    );
    const empty = await failure(client.issues.createIssue({ fields: { issuetype: { name: 'Story' } } }));
    expect((empty.body as { errors: Record<string, string> }).errors).toMatchObject({
      project: 'Specify a valid project ID or key',
      summary: 'You must specify a summary of the issue.',
    });

    // jira.js sends a string description to the v2 endpoint
    await jira.admin.clearRequests();
    const wiki = await client.issues.createIssue({
      fields: {
        project: { key: 'REF' },
        issuetype: { name: 'Task' },
        summary: 'Wiki',
        description: 'h1. Title',
      },
    });
    expect(wiki.key).toBe('REF-6');
    expect((await jira.admin.requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /rest/api/2/issue 201',
    ]);
  });

  it('walks the workflow: To Do → In Progress → Done, Reopen, Reject', async () => {
    await jira.admin.seedProject({ key: 'REF', issues: stories(1) });
    const names = async () =>
      (await client.issues.getTransitions({ issueIdOrKey: 'REF-1' })).transitions!.map((t) => t.name);
    const status = async () => {
      const { fields } = await client.issues.getIssue({
        issueIdOrKey: 'REF-1',
        fields: ['status', 'resolution'],
      });
      return [fields?.status.name, fields?.status.statusCategory.key, fields?.resolution?.name ?? null];
    };
    const transitions = await client.issues.getTransitions({ issueIdOrKey: 'REF-1' });
    expect(
      transitions.transitions!.map((t) => [t.id, t.name, t.to?.name, t.to?.statusCategory?.key]),
    ).toEqual([
      ['21', 'Start Progress', 'In Progress', 'indeterminate'],
      ['31', 'Done', 'Done', 'done'],
      ['41', 'Reject', 'Rejected', 'done'],
    ]);
    await client.issues.doTransition({ issueIdOrKey: 'REF-1', transition: { id: '21' } });
    expect(await status()).toEqual(['In Progress', 'indeterminate', null]);
    await client.issues.doTransition({ issueIdOrKey: 'REF-1', transition: { id: '31' } });
    expect(await status()).toEqual(['Done', 'done', 'Done']);
    expect(await names()).toEqual(['Reopen']);
    const invalid = await failure(
      client.issues.doTransition({ issueIdOrKey: 'REF-1', transition: { id: '21' } }),
    );
    expect(invalid.body).toEqual({
      errorMessages: ["Transition id '21' is not valid for this issue."],
      errors: {},
    });
    await client.issues.doTransition({ issueIdOrKey: 'REF-1', transition: { id: '51' } });
    expect(await status()).toEqual(['To Do', 'new', null]);
    await client.issues.doTransition({ issueIdOrKey: 'REF-1', transition: { id: '41' } });
    expect(await status()).toEqual(['Rejected', 'done', "Won't Do"]);
  });

  it('adds and lists comments (ADF on v3; jira.js sends a string body through v2)', async () => {
    await jira.admin.seedProject({ key: 'REF', issues: stories(1) });
    const first = await client.issueComments.addComment({
      issueIdOrKey: 'REF-1',
      body: adf('Accepted in review'),
    });
    expect(first.body).toEqual(adf('Accepted in review'));
    expect(first.author?.accountId).toBe(jira.accountId);
    const second = await client.issueComments.addComment({ issueIdOrKey: 'REF-1', body: 'Plain words' });
    expect(second.body).toEqual(adf('Plain words'));
    const page = await client.issueComments.getComments({ issueIdOrKey: 'REF-1' });
    expect(page.total).toBe(2);
    expect(page.comments!.map((c) => c.id)).toEqual([first.id, second.id]);

    const basic = `Basic ${Buffer.from(`${jira.credentials.email}:${jira.credentials.apiToken}`).toString('base64')}`;
    const stringOnV3 = await fetch(`${jira.url}/rest/api/3/issue/REF-1/comment`, {
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: 'not ADF' }),
    });
    expect(stringOnV3.status).toBe(400);
    expect((await stringOnV3.json()).errors.comment).toContain('Atlassian Document');
  });

  it('ranks before and after; search, boards and the Rank field all follow', async () => {
    const { boardId } = await jira.admin.seedProject({
      key: 'REF',
      issues: [{ summary: 'Epic', type: 'Epic' }, ...stories(5)],
    });
    // REF-1 is the epic (not on the board); REF-2..REF-6 are the stories
    const rankOrder = async () => {
      const keys = await search('project = REF AND issuetype = Story ORDER BY Rank ASC');
      const board = await agile.board.getIssuesForBoard({ boardId });
      expect(board.issues.map((issue) => issue.key)).toEqual(keys);
      const ranks = board.issues.map((issue) => issue.fields?.customfield_10019 as string);
      expect([...ranks].sort()).toEqual(ranks);
      for (const rank of ranks) expect(rank).toMatch(/^0\|[0-9a-z]{6}:[0-9a-z]*$/);
      expect((await jira.admin.listIssues('REF')).map((i) => i.key).filter((k) => k !== 'REF-1')).toEqual(
        keys,
      );
      return keys;
    };
    expect(await rankOrder()).toEqual(['REF-2', 'REF-3', 'REF-4', 'REF-5', 'REF-6']);
    await agile.issue.rankIssues({ issues: ['REF-6'], rankBeforeIssue: 'REF-3' });
    expect(await rankOrder()).toEqual(['REF-2', 'REF-6', 'REF-3', 'REF-4', 'REF-5']);
    await agile.issue.rankIssues({ issues: ['REF-2', 'REF-3'], rankAfterIssue: 'REF-5' });
    expect(await rankOrder()).toEqual(['REF-6', 'REF-4', 'REF-5', 'REF-2', 'REF-3']);
    await agile.issue.rankIssues({ issues: ['REF-3'], rankBeforeIssue: 'REF-6' });
    expect(await rankOrder()).toEqual(['REF-3', 'REF-6', 'REF-4', 'REF-5', 'REF-2']);

    // Partly possible: 207 with an entry per issue, which jira.js hands back (typed void) rather than throwing.
    const partial = (await agile.issue.rankIssues({
      issues: ['REF-2', 'REF-99'],
      rankBeforeIssue: 'REF-4',
    })) as unknown;
    expect(partial).toEqual({
      entries: [
        {
          issueKey: 'REF-99',
          status: 404,
          errors: ['Issue does not exist or you do not have permission to see it.'],
        },
        { issueId: expect.any(Number), issueKey: 'REF-2', status: 200 },
      ],
    });
    expect(await rankOrder()).toEqual(['REF-3', 'REF-6', 'REF-2', 'REF-4', 'REF-5']);
    const both = await failure(
      agile.issue.rankIssues({ issues: ['REF-2'], rankBeforeIssue: 'REF-4', rankAfterIssue: 'REF-5' }),
    );
    expect(both.status).toBe(400);

    const history = await client.issues.getIssue({ issueIdOrKey: 'REF-3', expand: 'changelog' });
    expect(history.changelog!.histories!.at(-1)!.items).toEqual([
      expect.objectContaining({ field: 'Rank', fieldId: 'customfield_10019', toString: 'Ranked higher' }),
    ]);
  });

  it('lists boards, and pages a board’s issues by startAt on the agile 1.0 path', async () => {
    const { boardId } = await jira.admin.seedProject({ key: 'REF', name: 'Refinery', issues: stories(5) });
    const boards = await agile.board.getAllBoards({ projectKeyOrId: 'REF' });
    expect(boards.total).toBe(1);
    expect(boards.values[0]).toMatchObject({
      id: boardId,
      type: 'scrum',
      location: { projectKey: 'REF', projectName: 'Refinery' },
    });
    expect((await agile.board.getBoard({ boardId })).name).toBe('REF board');
    const notThere = await failure(agile.board.getBoard({ boardId: 999 }));
    expect(notThere).toBeInstanceOf(NotFoundError);

    const raw = createClient(clientConfig(jira));
    const keys: string[] = [];
    for (let startAt = 0; ; startAt += 2) {
      const page = await raw.sendRequest({
        url: `/rest/agile/1.0/board/${boardId}/issue`,
        method: 'GET',
        searchParams: { startAt, maxResults: 2, fields: 'summary' },
        schema: SearchResultsSchema,
      });
      expect(page).toMatchObject({ startAt, maxResults: 2, total: 5 });
      keys.push(...page.issues!.map((issue) => issue.key!));
      if (startAt + 2 >= page.total!) break;
    }
    expect(keys).toEqual(['REF-1', 'REF-2', 'REF-3', 'REF-4', 'REF-5']);
  });

  it('refuses wrong and revoked tokens with 401', async () => {
    const wrong = cloudClient(jira, { email: jira.credentials.email, apiToken: 'not-the-token' });
    const refused = await failure(wrong.myself.getCurrentUser());
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused.body as { errorMessages: string[] }).errorMessages[0]).toContain('not authenticated');

    await jira.admin.revokeToken();
    expect(await failure(client.myself.getCurrentUser())).toBeInstanceOf(AuthError);
    expect(await failure(client.issueFields.getFields())).toBeInstanceOf(AuthError);
    await jira.admin.restoreToken();
    expect((await client.myself.getCurrentUser()).accountId).toBe(jira.accountId);

    const anonymous = await fetch(`${jira.url}/rest/api/3/myself`);
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${jira.url}/rest/api/3/serverInfo`)).status).toBe(200);
    const bearer = await fetch(`${jira.url}/rest/api/3/myself`, {
      headers: { Authorization: `Bearer ${jira.credentials.pat}` },
    });
    expect(bearer.status).toBe(401);
  });

  it('forbids what the account may not do with 403 (and hides issues without Browse Projects)', async () => {
    await jira.admin.seedProject({ key: 'REF', issues: stories(2) });
    const left = await jira.admin.setPermissions({
      EDIT_ISSUES: false,
      TRANSITION_ISSUES: false,
      SCHEDULE_ISSUES: false,
      ADMINISTER: false,
    });
    expect(left).not.toContain('EDIT_ISSUES');
    const { permissions } = await client.permissions.getMyPermissions({
      permissions: 'EDIT_ISSUES,ADMINISTER',
    });
    expect(permissions?.EDIT_ISSUES.havePermission).toBe(false);

    expect(
      await failure(client.issues.editIssue({ issueIdOrKey: 'REF-1', fields: { summary: 'x' } })),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      await failure(client.issues.doTransition({ issueIdOrKey: 'REF-1', transition: { id: '21' } })),
    ).toBeInstanceOf(ForbiddenError);
    expect((await client.issues.getTransitions({ issueIdOrKey: 'REF-1' })).transitions).toEqual([]);
    expect(
      await failure(agile.issue.rankIssues({ issues: ['REF-2'], rankBeforeIssue: 'REF-1' })),
    ).toBeInstanceOf(ForbiddenError);
    const register = createClient(clientConfig(jira)).sendRequest({
      url: '/rest/webhooks/1.0/webhook',
      method: 'POST',
      body: { name: 'Refinery', url: 'http://127.0.0.1:9/hook', events: ['jira:issue_updated'] },
    });
    expect(await failure(register)).toBeInstanceOf(ForbiddenError);
    expect((await jira.admin.getIssue('REF-1'))?.summary).toBe('Story 1');

    await jira.admin.setPermissions({ BROWSE_PROJECTS: false });
    expect(await failure(client.issues.getIssue({ issueIdOrKey: 'REF-1' }))).toBeInstanceOf(NotFoundError);
  });

  it('answers 429 with Retry-After while rate limited, per account when asked', async () => {
    await jira.admin.injectRateLimit({ count: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const limited = await failure(client.myself.getCurrentUser());
      expect(limited).toBeInstanceOf(RateLimitError);
      expect((limited as RateLimitError).retryAfterMs).toBe(7000);
      expect(limited.body).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    }
    expect((await client.myself.getCurrentUser()).accountId).toBe(jira.accountId);

    const other = await jira.admin.addAccount({ displayName: 'Parallel test' });
    await jira.admin.injectRateLimit({ count: 1, retryAfterSeconds: 2, accountId: other.accountId });
    expect((await client.myself.getCurrentUser()).accountId).toBe(jira.accountId);
    const otherClient = cloudClient(jira, { email: other.email, apiToken: other.apiToken });
    expect(((await failure(otherClient.myself.getCurrentUser())) as RateLimitError).retryAfterMs).toBe(2000);
    expect((await otherClient.myself.getCurrentUser()).accountId).toBe(other.accountId);
  });

  describe('webhooks', () => {
    let receiver: Server;
    let receiverUrl: string;
    const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          received.push({
            url: req.url ?? '',
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    beforeEach(() => {
      received.length = 0;
    });

    const register = (body: Record<string, unknown>) =>
      createClient(clientConfig(jira)).sendRequest<{ self: string; name: string }>({
        url: '/rest/webhooks/1.0/webhook',
        method: 'POST',
        body,
      });
    const payloads = () => received.map((delivery) => JSON.parse(delivery.body));

    it('posts signed jira:issue_updated and jira:issue_created events that match the filter', async () => {
      await jira.admin.seedProject({ key: 'REF', issues: stories(3) });
      await jira.admin.seedProject({ key: 'OTH', issues: stories(1) });
      const hook = await register({
        name: 'Refinery sync',
        url: `${receiverUrl}/jira/events?token=abc&issue=\${issue.key}`,
        events: ['jira:issue_updated', 'jira:issue_created'],
        filters: { 'issue-related-events-section': 'project = REF' },
        excludeBody: false,
        secret: 's3cret',
      });
      expect(hook).toMatchObject({
        name: 'Refinery sync',
        self: expect.stringMatching(/\/rest\/webhooks\/1\.0\/webhook\/\d+$/),
      });
      expect(received).toEqual([]);

      await jira.admin.editIssue('OTH-1', { summary: 'Not for the filter' });
      await jira.admin.editIssue('REF-2', { summary: 'Edited in Jira', points: 8 });
      await waitFor(
        () => received.length,
        (n) => n >= 1,
      );
      const [delivery] = received;
      expect(delivery.url).toBe('/jira/events?token=abc&issue=REF-2');
      const signature = createHmac('sha256', 's3cret').update(delivery.body).digest('hex');
      expect(delivery.headers['x-hub-signature']).toBe(`sha256=${signature}`);
      expect(delivery.headers['content-type']).toContain('application/json');
      const event = JSON.parse(delivery.body);
      expect(event).toMatchObject({
        timestamp: expect.any(Number),
        webhookEvent: 'jira:issue_updated',
        issue_event_type_name: 'issue_updated',
        user: { displayName: 'Jamie Jira' },
        issue: { key: 'REF-2', fields: { summary: 'Edited in Jira', customfield_10016: 8 } },
      });
      expect(event.changelog.items).toEqual([
        {
          field: 'summary',
          fieldtype: 'jira',
          fieldId: 'summary',
          from: null,
          fromString: 'Story 2',
          to: null,
          toString: 'Edited in Jira',
        },
        {
          field: 'Story Points',
          fieldtype: 'custom',
          fieldId: 'customfield_10016',
          from: null,
          fromString: null,
          to: null,
          toString: '8',
        },
      ]);

      // Refinery's own changes come back too: the user tells them apart.
      await client.issues.editIssue({ issueIdOrKey: 'REF-3', fields: { labels: ['synced'] } });
      await jira.admin.createIssue('REF', { summary: 'Born in Jira', points: 1 });
      await waitFor(
        () => received.length,
        (n) => n >= 3,
      );
      const later = payloads().slice(1);
      expect(later).toContainEqual(
        expect.objectContaining({
          webhookEvent: 'jira:issue_updated',
          user: expect.objectContaining({ accountId: jira.accountId }),
        }),
      );
      expect(later).toContainEqual(
        expect.objectContaining({
          webhookEvent: 'jira:issue_created',
          issue: expect.objectContaining({ key: 'REF-4' }),
        }),
      );
      expect((await jira.admin.deliveries()).map((d) => d.issueKey).sort()).toEqual([
        'REF-2',
        'REF-3',
        'REF-4',
      ]);

      const list = await createClient(clientConfig(jira)).sendRequest<{ self: string }[]>({
        url: '/rest/webhooks/1.0/webhook',
        method: 'GET',
      });
      expect(list).toHaveLength(1);
      await createClient(clientConfig(jira)).sendRequest({
        url: new URL(hook.self).pathname,
        method: 'DELETE',
      });
      expect(await jira.admin.webhooks()).toEqual([]);
    });

    it('ignores a receiver that is down, and refuses a bad registration with 400', async () => {
      await jira.admin.seedProject({ key: 'REF', issues: stories(1) });
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      await register({ name: 'Dead', url: deadUrl, events: ['jira:issue_updated'] });
      await register({
        name: 'Alive',
        url: `${receiverUrl}/alive`,
        events: ['jira:issue_updated'],
        excludeBody: true,
      });
      await jira.admin.commentIssue('REF-1', 'A comment in Jira');
      const deliveries = await waitFor(
        () => jira.admin.deliveries(),
        (list) => list.length >= 2,
      );
      expect(deliveries.find((d) => d.url === deadUrl)).toMatchObject({
        status: null,
        error: expect.any(String),
      });
      await waitFor(
        () => received.length,
        (n) => n >= 1,
      );
      expect(received[0]).toMatchObject({ url: '/alive', body: '' });
      expect((await client.myself.getCurrentUser()).accountId).toBe(jira.accountId);

      const bad = await failure(register({ name: '', url: 'not a url', events: [] }));
      expect(bad.status).toBe(400);
      expect(Object.keys((bad.body as { errors: object }).errors).sort()).toEqual(['events', 'name', 'url']);
      const badJql = await failure(
        register({
          name: 'x',
          url: deadUrl,
          events: ['jira:issue_updated'],
          filters: { 'issue-related-events-section': 'project = ' },
        }),
      );
      expect((badJql.body as { errors: { filters: string } }).errors.filters).toContain(
        'Error in the JQL Query',
      );
    });
  });

  it('logs the Jira requests it served (not the admin API’s)', async () => {
    await jira.admin.seedProject({ key: 'REF', issues: stories(1) });
    await jira.admin.clearRequests();
    await client.issues.getIssue({ issueIdOrKey: 'REF-1', fields: ['summary'] });
    await client.issues.editIssue({ issueIdOrKey: 'REF-1', fields: { summary: 'Logged' } });
    await failure(client.issues.getIssue({ issueIdOrKey: 'REF-9' }));
    await jira.admin.getIssue('REF-1');
    const log = await jira.admin.requests({ accountId: jira.accountId });
    expect(log.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'GET', path: '/rest/api/3/issue/REF-1', status: 200 },
      { method: 'PUT', path: '/rest/api/3/issue/REF-1', status: 204 },
      { method: 'GET', path: '/rest/api/3/issue/REF-9', status: 404 },
    ]);
    expect(log[0].query).toBe('fields=summary');
    expect(log[1].body).toEqual({ fields: { summary: 'Logged' } });
  });

  it('answers bad input with Jira’s error body and keeps serving', async () => {
    await jira.admin.seedProject({ key: 'REF', issues: stories(1) });
    const basic = `Basic ${Buffer.from(`${jira.credentials.email}:${jira.credentials.apiToken}`).toString('base64')}`;
    const call = async (method: string, path: string, body?: string) => {
      const response = await fetch(`${jira.url}${path}`, {
        method,
        headers: { Authorization: basic, 'Content-Type': 'application/json' },
        body,
      });
      return { status: response.status, body: await response.json() };
    };
    const cases: [string, string, string | undefined, number][] = [
      ['POST', '/rest/api/3/search/jql', '{"jql": "project = REF"', 400],
      ['POST', '/rest/api/3/search/jql', '{"jql": 42}', 400],
      ['POST', '/rest/api/3/search/jql', '{"jql": "project = REF", "maxResults": "many"}', 400],
      ['GET', '/rest/api/3/search/jql?jql=project%3DREF&maxResults=abc', undefined, 400],
      ['GET', '/rest/api/3/search/jql?jql=project%20%3D%20%22REF', undefined, 400],
      ['PUT', '/rest/api/3/issue/REF-1', '[1,2]', 400],
      ['PUT', '/rest/api/3/issue/REF-1', '{"fields": "summary"}', 400],
      ['PUT', '/rest/api/3/issue/REF-1', '{"fields": {"labels": ["two words"]}}', 400],
      ['PUT', '/rest/api/3/issue/REF-1', '{"fields": {"customfield_10016": "five"}}', 400],
      ['POST', '/rest/api/3/issue', 'null', 400],
      ['POST', '/rest/api/3/issue/REF-1/transitions', '{}', 400],
      ['PUT', '/rest/agile/1.0/issue/rank', '{"issues": "REF-1"}', 400],
      ['GET', '/rest/api/3/mypermissions', undefined, 400],
      ['GET', '/rest/api/3/nothing/here', undefined, 404],
      ['PATCH', '/rest/api/3/issue/REF-1', '{}', 405],
      ['GET', '/rest/api/3/search?jql=project%3DREF', undefined, 410],
    ];
    for (const [method, path, body, status] of cases) {
      const answer = await call(method, path, body);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status });
      expect(answer.body).toEqual(
        expect.objectContaining({ errorMessages: expect.any(Array), errors: expect.any(Object) }),
      );
    }
    expect((await client.myself.getCurrentUser()).accountId).toBe(jira.accountId);
    expect((await jira.admin.getIssue('REF-1'))?.summary).toBe('Story 1');
  });
});

describe('Jira Data Center stand-in over REST v2 with a PAT', () => {
  let jira: JiraStandin;
  const call = async (method: string, path: string, body?: unknown, token = jira.credentials.pat) => {
    const response = await fetch(`${jira.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    jira = await startJiraStandin({ flavour: 'dc' });
  });
  afterAll(() => jira.stop());
  beforeEach(() => jira.admin.reset());

  it('authenticates by PAT only, and answers v2 alone', async () => {
    const me = await call('GET', '/rest/api/2/myself');
    expect(me).toMatchObject({ status: 200, body: { name: 'refinery', key: jira.accountId } });
    expect((await call('GET', '/rest/api/2/serverInfo')).body).toMatchObject({
      deploymentType: 'Server',
      versionNumbers: [9, 12, 15],
    });
    expect((await call('GET', '/rest/api/3/myself')).status).toBe(404);
    expect((await call('GET', '/rest/api/2/myself', undefined, 'wrong')).status).toBe(401);
    const basic = await fetch(`${jira.url}/rest/api/2/myself`, {
      headers: {
        Authorization: `Basic ${Buffer.from(`${jira.credentials.email}:${jira.credentials.apiToken}`).toString('base64')}`,
      },
    });
    expect(basic.status).toBe(401);
    await jira.admin.revokeToken({ which: 'pat' });
    const revoked = await call('GET', '/rest/api/2/myself');
    expect(revoked.status).toBe(401);
    expect(revoked.body.errorMessages).toHaveLength(1);
    const permissions = await jira.admin.setPermissions({});
    expect(permissions).toContain('ADMINISTER');
  });

  it('pages /rest/api/2/search by startAt with a total, description as wiki text', async () => {
    await jira.admin.seedProject({ key: 'DC', issues: stories(5, { description: 'h2. Why\nBecause' }) });
    const keys: string[] = [];
    for (let startAt = 0; startAt < 5; startAt += 2) {
      const page = await call(
        'GET',
        `/rest/api/2/search?jql=${encodeURIComponent('project = DC ORDER BY Rank ASC')}&startAt=${startAt}&maxResults=2`,
      );
      expect(page.status).toBe(200);
      const parsed = SearchResultsSchema.parse(page.body);
      expect(parsed).toMatchObject({ startAt, maxResults: 2, total: 5 });
      keys.push(...parsed.issues!.map((issue) => issue.key!));
    }
    expect(keys).toEqual(['DC-1', 'DC-2', 'DC-3', 'DC-4', 'DC-5']);
    const posted = await call('POST', '/rest/api/2/search', {
      jql: 'key in (DC-2)',
      startAt: 0,
      maxResults: 10,
      fields: ['summary', 'description'],
    });
    expect(posted.body.issues[0].fields).toEqual({ summary: 'Story 2', description: 'h2. Why\nBecause' });

    expect((await call('POST', '/rest/api/2/search', { jql: 'key in (DC-2, DC-77)' })).status).toBe(400);
    const warned = await call('POST', '/rest/api/2/search', {
      jql: 'key in (DC-2, DC-77)',
      validateQuery: 'warn',
    });
    expect(warned.status).toBe(200);
    expect(warned.body.total).toBe(1);
    expect(warned.body.warningMessages[0]).toContain('DC-77');
  });

  it('edits with wiki text and the Epic Link, creates, transitions and comments on v2', async () => {
    await jira.admin.seedProject({
      key: 'DC',
      issues: [{ summary: 'Epic', type: 'Epic' }, { summary: 'Story' }],
    });
    const edit = await call('PUT', '/rest/api/2/issue/DC-2', {
      fields: { description: '* one\n* two', customfield_10014: 'DC-1', customfield_10020: 'Given x' },
    });
    expect(edit.status).toBe(204);
    const { body: issue } = await call('GET', '/rest/api/2/issue/DC-2');
    expect(issue.fields).toMatchObject({
      description: '* one\n* two',
      customfield_10014: 'DC-1',
      customfield_10020: 'Given x',
    });
    expect(issue.fields).not.toHaveProperty('parent');
    expect(issue.fields.reporter).toMatchObject({ name: 'jamie' });
    const notEpic = await call('PUT', '/rest/api/2/issue/DC-2', { fields: { customfield_10014: 'DC-2' } });
    expect(notEpic.status).toBe(400);

    const created = await call('POST', '/rest/api/2/issue', {
      fields: {
        project: { key: 'DC' },
        issuetype: { name: 'Story' },
        summary: 'New',
        description: 'plain',
        customfield_10014: 'DC-1',
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { key: 'DC-3', self: `${jira.url}/rest/api/2/issue/${created.body.id}` },
    });
    expect(
      (await call('POST', '/rest/api/2/issue/DC-3/transitions', { transition: { id: '31' } })).status,
    ).toBe(204);
    expect((await jira.admin.getIssue('DC-3'))?.statusCategory).toBe('done');
    const comment = await call('POST', '/rest/api/2/issue/DC-3/comment', { body: 'Done in review' });
    expect(comment).toMatchObject({
      status: 201,
      body: { body: 'Done in review', author: { name: 'refinery' } },
    });
    expect((await call('GET', '/rest/api/2/issue/DC-3/comment')).body).toMatchObject({ total: 1 });
    const history = await call('GET', '/rest/api/2/issue/DC-3?expand=changelog');
    expect(history.body.changelog.total).toBe(1);
  });
});

describe('the CLI and the admin API over HTTP', () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('prints its URL and credentials as one JSON line and serves until stopped', async () => {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./main.ts', import.meta.url)),
        '--port',
        '0',
        '--flavour',
        'cloud',
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`the stand-in exited (${code})`)));
    });
    const started = JSON.parse(line) as {
      url: string;
      credentials: Credentials & { pat: string };
      accountId: string;
    };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const admin = createStandinAdminClient(started.url);
    const seeded = await admin.seedProject({
      key: 'CLI',
      issues: [{ summary: 'Over HTTP', points: 3, labels: ['e2e'] }],
    });
    expect(seeded.issues).toEqual([{ id: expect.any(String), key: 'CLI-1', summary: 'Over HTTP' }]);
    const client = createCloudClient({
      host: started.url,
      auth: { type: 'basic', email: started.credentials.email, apiToken: started.credentials.apiToken },
      onSchemaMismatch: 'throw',
    });
    expect((await client.issues.getIssue({ issueIdOrKey: 'CLI-1' })).fields?.customfield_10016).toBe(3);
    await admin.editIssue('CLI-1', { status: 'In Progress' });
    expect(await admin.getIssue('CLI-1')).toMatchObject({ status: 'In Progress', labels: ['e2e'] });
    expect(await admin.getIssue('CLI-9')).toBeNull();
    expect((await admin.requests()).map((r) => r.path)).toEqual(['/rest/api/3/issue/CLI-1']);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
