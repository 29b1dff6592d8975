/**
 * Who is calling: Jira Cloud takes `Basic base64(email:apiToken)`, Data Center a personal access token as
 * `Bearer <PAT>`. Also permission checks (403) and the injected rate limits (429).
 */
import type { PermissionKey } from './catalog';
import { JiraError } from './http';
import type { Account, StandinState } from './state';

export interface Identified {
  /** the account the credentials name, revoked or not */
  account: Account | undefined;
  /** whether the credentials are good now */
  valid: boolean;
}

export function identify(state: StandinState, header: string | undefined): Identified {
  if (!header) return { account: undefined, valid: false };
  const [scheme, credential = ''] = header.trim().split(/\s+/, 2);
  if (state.flavour === 'cloud' && scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [email, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    for (const account of state.accounts.values()) {
      if (colon > 0 && account.emailAddress === email && account.apiToken === secret) {
        return { account, valid: !account.revoked.apiToken };
      }
    }
  }
  if (state.flavour === 'dc' && scheme.toLowerCase() === 'bearer') {
    for (const account of state.accounts.values()) {
      if (account.pat === credential) return { account, valid: !account.revoked.pat };
    }
  }
  return { account: undefined, valid: false };
}

export function unauthorized(state: StandinState): JiraError {
  return new JiraError(
    401,
    ['You are not authenticated. Authentication required to perform this operation.'],
    {},
    {
      'WWW-Authenticate': state.flavour === 'cloud' ? 'Basic realm="protected-area"' : 'Bearer realm="Jira"',
    },
  );
}

export const can = (account: Account, permission: PermissionKey) => account.permissions.has(permission);

/** 403 unless the account holds the permission. */
export function requirePermission(account: Account, permission: PermissionKey, message: string): void {
  if (!can(account, permission)) throw new JiraError(403, [message]);
}

/** Takes one injected 429 meant for this request, if any is left: answers its Retry-After in seconds. */
export function takeRateLimit(state: StandinState, accountId: string | null): number | null {
  const index = state.rateLimits.findIndex(
    (limit) => limit.accountId === null || limit.accountId === accountId,
  );
  if (index < 0) return null;
  const limit = state.rateLimits[index];
  limit.remaining--;
  if (limit.remaining <= 0) state.rateLimits.splice(index, 1);
  return limit.retryAfterSeconds;
}

export function rateLimited(retryAfterSeconds: number): JiraError {
  return new JiraError(
    429,
    ['Rate limit exceeded.'],
    {},
    {
      'Retry-After': String(retryAfterSeconds),
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': new Date(Date.now() + retryAfterSeconds * 1000).toISOString(),
      'RateLimit-Reason': 'jira-quota-global-based',
    },
  );
}
