import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { parseConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import type { AppServices } from '~/context';
import { handleApiRequest } from './router.server';

/** Test helpers: the API called as the Remix route calls it, with WHATWG Requests and real services. */

export function testServices(
  database: Pick<Database, 'db'>,
  overrides: Partial<AppServices['config']> = {},
): AppServices {
  const parsed = parseConfig({});
  if (!parsed.ok) throw new Error(parsed.message);
  return {
    db: database.db,
    config: { ...parsed.config, ...overrides },
    log: createLogger('silent'),
    secret: 'x'.repeat(40),
    live: { update: async () => {} },
  };
}

export interface CallOptions {
  token?: string;
  /** sent as JSON unless it is already a string */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back.
  json: any;
  /** the body as text (a CSV or .feature download is not JSON) */
  text: string;
}

export function apiClient(services: AppServices, origin = 'http://refinery.test') {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { 'x-refinery-client-address': '192.0.2.1', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await handleApiRequest(
      new Request(`${origin}/api/v1${path}`, { method, headers, body }),
      services,
    );
    const text = await response.text();
    const isJson = /json/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      json: text && isJson ? JSON.parse(text) : undefined,
      text,
    };
  };
}

/**
 * People with accounts and API tokens (`<name>@example.com`, display name `<name>`), and a product `po` owns with
 * the others in it in the roles given: what most API suites start from.
 */
export async function apiTeam(
  call: ReturnType<typeof apiClient>,
  members: Record<string, 'team_member' | 'stakeholder' | null> = {},
  password = 'correct horse battery staple',
) {
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  for (const name of ['po', ...Object.keys(members)]) {
    const email = `${name}@example.com`;
    userIds[name] = (await call('POST', '/users', { body: { email, displayName: name, password } })).json.id;
    tokens[name] = (await call('POST', '/tokens', { body: { email, password } })).json.token;
  }
  const productId = (await call('POST', '/products', { token: tokens.po, body: { name: 'Clinic' } })).json
    .id as string;
  for (const [name, role] of Object.entries(members)) {
    if (!role) continue;
    const invite = await call('POST', `/products/${productId}/invites`, { token: tokens.po, body: { role } });
    await call('POST', `/invites/${invite.json.token}/accept`, { token: tokens[name] });
  }
  return { tokens, userIds, productId };
}

/** Test services whose live channel keeps, as JSON, every state the server published into a live document. */
export function recordingServices(database: Pick<Database, 'db'>): {
  services: AppServices;
  published: string[];
} {
  const published: string[] = [];
  const services: AppServices = {
    ...testServices(database),
    live: {
      async update(_name, change) {
        const doc = new Y.Doc();
        change(doc);
        published.push(JSON.stringify(doc.toJSON()));
      },
    },
  };
  return { services, published };
}
