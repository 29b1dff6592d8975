import { z } from 'zod';
import type { AppServices } from '~/context';
import type { PublicUser } from '~/services/accounts.server';
import { verifyLiveToken } from '~/domain/signed-token';
import { userForApiToken } from '~/services/api-tokens.server';
import { guestActor } from '~/services/sessions/access.server';
import { readJsonBody, readQuery } from './body.server';
import { apiBasePath } from './openapi.server';
import { FileResult, type Operation } from './operation.server';
import { ApiProblem, bearerChallenge, problemResponse, toProblem } from './problem.server';
import { operations } from './registry.server';

interface Route {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}

function compile(operation: Operation): Route {
  const names: string[] = [];
  const source = operation.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = part.match(/^\{(.+)\}$/)?.[1];
      if (name) {
        names.push(name);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { operation, pattern: new RegExp(`^${source}$`), names };
}

const routes = operations.map(compile);

/**
 * The whole /api/v1 surface: finds the operation, authenticates, reads the query and the body, runs the handler
 * and encodes the result with the operation's response schema. Every refusal is application/problem+json.
 */
export async function handleApiRequest(request: Request, services: AppServices): Promise<Response> {
  const url = new URL(request.url);
  try {
    return await dispatch(request, url, services);
  } catch (error) {
    return problemResponse(toProblem(error, services.log, { method: request.method, path: url.pathname }));
  }
}

async function dispatch(request: Request, url: URL, services: AppServices): Promise<Response> {
  const { route, params } = match(request.method, url.pathname);
  const { operation } = route;
  const { user, actorId } = await identify(operation.auth, request, services);
  const query = operation.query ? readQuery(url, operation.query) : undefined;
  const body = operation.body
    ? await readJsonBody(request, operation.body, services.config.MAX_BODY_BYTES)
    : undefined;
  const result = await operation.handler({ request, services, params, query, body, user, actorId });
  const { status, schema } = operation.success;
  if (result instanceof FileResult) return fileResponse(status, result);
  if (!schema) return new Response(null, { status, headers: { 'Cache-Control': 'no-store' } });
  // Encoding checks the result against the documented schema, turns Dates into ISO strings and drops any field the
  // schema does not name, so a service returning more than it should cannot leak it.
  return new Response(JSON.stringify(z.encode(schema, result)), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}

function fileResponse(status: number, file: FileResult): Response {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const utf8 = encodeURIComponent(file.fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16)}`,
  );
  return new Response(file.text, {
    status,
    headers: {
      'Content-Type': `${file.mediaType}; charset=utf-8`,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`,
      'Cache-Control': 'no-store',
    },
  });
}

function match(method: string, pathname: string): { route: Route; params: Record<string, string> } {
  const relative = pathname.startsWith(apiBasePath)
    ? pathname.slice(apiBasePath.length).replace(/(.)\/$/, '$1')
    : null;
  const candidates = relative === null ? [] : routes.filter((r) => r.pattern.test(relative));
  if (candidates.length === 0) {
    throw new ApiProblem(
      404,
      `There is no API operation at ${pathname.slice(0, 200)}. The operations are listed at ${apiBasePath}/openapi.json`,
    );
  }
  const wanted = method === 'HEAD' ? 'GET' : method;
  const route = candidates.find((r) => r.operation.method === wanted);
  if (!route) {
    const allowed: string[] = candidates.map((r) => r.operation.method);
    if (allowed.includes('GET')) allowed.push('HEAD');
    throw new ApiProblem(405, `${method} is not allowed here; use ${allowed.join(' or ')}`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
  const values = route.pattern.exec(relative as string)!.slice(1);
  const params: Record<string, string> = {};
  route.names.forEach((name, i) => {
    try {
      params[name] = decodeURIComponent(values[i]);
    } catch {
      throw new ApiProblem(404, `The ${name} in the path is not a valid percent-encoded value`);
    }
  });
  return { route, params };
}

async function identify(
  auth: Operation['auth'],
  request: Request,
  services: AppServices,
): Promise<{ user: PublicUser | null; actorId: string | null }> {
  if (auth === 'none') return { user: null, actorId: null };
  if (auth === 'participant') {
    const token = request.headers.get('authorization')?.match(/^Bearer +(\S+) *$/i)?.[1];
    // A guest's token is signed, not stored: it names the participant, who must still be in the session.
    if (token && !token.startsWith('rfy_')) {
      const verified = verifyLiveToken(services.secret, token);
      if (!verified.ok || verified.payload.kind !== 'guest') {
        throw new ApiProblem(
          401,
          verified.ok || verified.reason !== 'expired'
            ? 'The token is not valid'
            : 'The guest token has expired: join again by the session’s link',
          {
            headers: { 'WWW-Authenticate': `${bearerChallenge}, error="invalid_token"` },
          },
        );
      }
      return { user: null, actorId: guestActor(verified.payload.sub) };
    }
  }
  const user = await authenticate(request, services);
  return { user, actorId: user.id };
}

async function authenticate(request: Request, services: AppServices): Promise<PublicUser> {
  const header = request.headers.get('authorization') ?? '';
  const token = header.match(/^Bearer +(\S+) *$/i)?.[1];
  if (!token) {
    throw new ApiProblem(401, 'Send a personal API token in the Authorization header: Bearer rfy_…', {
      headers: { 'WWW-Authenticate': bearerChallenge },
    });
  }
  const user = await userForApiToken(services.db, token);
  if (!user) {
    throw new ApiProblem(401, 'The API token is not valid: it is unknown or has been revoked', {
      headers: { 'WWW-Authenticate': `${bearerChallenge}, error="invalid_token"` },
    });
  }
  return user;
}
