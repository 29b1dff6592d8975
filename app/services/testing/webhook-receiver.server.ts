import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecretBox } from '~/services/trackers/secret-box.server';
import type { WebhookDeps } from '~/services/webhooks/deps.server';
import type { Db } from '../../../db/client';
import { createLogger } from '../../../server/logger';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 for the webhook tests: it records every request (raw body and headers) and
 * answers with the statuses queued by `answer`, 200 once they run out.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const status = statuses.shift() ?? 200;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status >= 400 ? `failure ${status} ${'x'.repeat(2000)}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** the next requests' statuses, in order */
    answer: (...codes: number[]) => statuses.push(...codes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Webhook dependencies for tests: a fresh key, private addresses allowed, a clock the test moves on. */
export function webhookTestDeps(db: Db, overrides: Partial<WebhookDeps> = {}) {
  let offsetMs = 0;
  const deps: WebhookDeps = {
    db,
    log: createLogger('silent'),
    box: createSecretBox([randomBytes(32)]),
    allowPrivateUrls: true,
    retryFirstSeconds: 10,
    maxAttempts: 6,
    timeoutMs: 2000,
    now: () => new Date(Date.now() + offsetMs),
    ...overrides,
  };
  return { deps, advance: (ms: number) => (offsetMs += ms) };
}
