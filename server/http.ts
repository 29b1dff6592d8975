import path from 'node:path';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import type { ViteDevServer } from 'vite';
import type { AppServices } from '../app/context';
import type { Database } from '../db/client';
import { loggablePath } from './logger';
import { bodyLimit, sameOriginMutations, securityHeaders } from './security';

export interface HttpOptions {
  services: AppServices;
  database: Database;
  /** the directory holding build/ (production) */
  root: string;
  vite?: ViteDevServer;
}

/** The express app: security, health, static assets and the Remix handler (the API is a Remix route). */
export function createHttpApp({ services, database, root, vite }: HttpOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', services.config.TRUST_PROXY);

  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    // Internal header for the client address; never trust one sent by the client.
    req.headers['x-refinery-client-address'] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      services.log[level]({
        event: 'http',
        method: req.method,
        path: loggablePath(req.originalUrl),
        status: res.statusCode,
        ms: Math.round(ms),
      });
    });
    next();
  });
  app.use(securityHeaders({ development: Boolean(vite) }));

  app.get('/healthz', async (_req, res) => {
    const ok = await database.ping(2000);
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'unavailable', database: ok ? database.kind : 'not answering' });
  });

  app.use(sameOriginMutations(services.config.PUBLIC_URL));
  app.use(bodyLimit(services.config.MAX_BODY_BYTES));
  app.use(compression());

  if (vite) {
    app.use(vite.middlewares);
  } else {
    const client = path.join(root, 'build/client');
    app.use('/assets', express.static(path.join(client, 'assets'), { immutable: true, maxAge: '1y' }));
    app.use(express.static(client, { maxAge: '1h' }));
  }

  const build = vite
    ? () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
    : () => import(path.join(root, 'build/server/index.js')) as Promise<ServerBuild>;

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: vite ? 'development' : 'production',
      getLoadContext: (_req, res) => ({ app: services, cspNonce: String(res.locals.cspNonce) }),
    }),
  );

  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    services.log.error({ event: 'http_error', err: error }, 'unhandled request error');
    if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong on our side.');
  });
  return app;
}
