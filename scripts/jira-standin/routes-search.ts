/**
 * Issue search: Cloud's enhanced search `/rest/api/{2,3}/search/jql` (paged by `nextPageToken`; the old
 * `/search` is gone from Cloud, 410), and Data Center's `/rest/api/2/search` (paged by `startAt`, with `total`).
 */
import { api, type Ctx, type JiraRoute } from './context';
import { JiraError, json } from './http';
import { issueJson, selectFields } from './issue-json';
import { decodePageToken, encodePageToken, pageSize, readSearchInput, searchIssues } from './search';
import type { Flavour } from './state';

function enhancedSearch(ctx: Ctx) {
  const input = readSearchInput(ctx);
  const { issues } = searchIssues(ctx, input.jql, { requireBounded: true });
  const idOnly = !input.fields || (input.fields.length === 1 && input.fields[0] === 'id');
  // Fewer issues a page when fields are asked for, as Jira does: follow nextPageToken, never count on maxResults.
  const size = pageSize(input.maxResults, idOnly ? 5000 : 100);
  const offset = decodePageToken(input.nextPageToken, input.jql);
  const page = issues.slice(offset, offset + size);
  const fields = selectFields(input.fields, 'id');
  const isLast = offset + page.length >= issues.length;
  return json({
    issues: page.map((issue) => issueJson(ctx.view, issue, { fields, expand: input.expand, idOnly })),
    ...(isLast ? {} : { nextPageToken: encodePageToken(offset + page.length, input.jql) }),
    isLast,
  });
}

function dataCenterSearch(ctx: Ctx) {
  const input = readSearchInput(ctx);
  const lenient =
    input.validateQuery === 'warn' || input.validateQuery === 'none' || input.validateQuery === 'false';
  const { issues, warnings } = searchIssues(ctx, input.jql, { lenient });
  const size = pageSize(input.maxResults, 1000);
  if (input.startAt < 0)
    throw new JiraError(400, [`The value '${input.startAt}' is not valid for 'startAt'.`]);
  const fields = selectFields(input.fields, 'navigable');
  return json({
    expand: 'schema,names',
    startAt: input.startAt,
    maxResults: size,
    total: issues.length,
    issues: issues
      .slice(input.startAt, input.startAt + size)
      .map((issue) => issueJson(ctx.view, issue, { fields, expand: input.expand })),
    ...(warnings.length > 0 && input.validateQuery === 'warn' ? { warningMessages: warnings } : {}),
  });
}

const removed = () => {
  throw new JiraError(410, [
    'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. ' +
      'A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
  ]);
};

export function searchRoutes(flavour: Flavour): JiraRoute[] {
  if (flavour === 'dc') {
    return [
      ...api(flavour, 'GET', '/search', dataCenterSearch),
      ...api(flavour, 'POST', '/search', dataCenterSearch),
    ];
  }
  return [
    ...api(flavour, 'GET', '/search/jql', enhancedSearch),
    ...api(flavour, 'POST', '/search/jql', enhancedSearch),
    ...api(flavour, 'GET', '/search', removed),
    ...api(flavour, 'POST', '/search', removed),
  ];
}
