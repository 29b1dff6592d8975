import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Security headers for every response; scripts only from our origin or with this request's nonce. */
export function securityHeaders(options: { development: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    const scriptSrc = options.development
      ? `'self' 'nonce-${nonce}' 'unsafe-eval'`
      : `'self' 'nonce-${nonce}'`;
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `script-src ${scriptSrc}`,
        // React style props (virtualised lists, editors) need inline style attributes; no inline <script>.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        `connect-src 'self' ws://${req.headers.host ?? 'localhost'} wss://${req.headers.host ?? 'localhost'}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function problem(res: Response, status: number, title: string, detail: string) {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

/**
 * Refuses mutating requests from another origin (CSRF). Requests authenticated only by a bearer token carry no
 * ambient credentials, so scripts and integrations may call the API from anywhere.
 */
export function sameOriginMutations(publicUrl: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!mutating.has(req.method)) return next();
    const bearerOnly = req.headers.authorization?.startsWith('Bearer ') && !req.headers.cookie;
    if (bearerOnly) return next();
    const expected = publicUrl ? new URL(publicUrl).origin : `${req.protocol}://${req.headers.host}`;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== expected) {
      return problem(res, 403, 'Forbidden', 'Cross-origin request refused');
    }
    if (origin === undefined && req.headers['sec-fetch-site'] === 'cross-site') {
      return problem(res, 403, 'Forbidden', 'Cross-origin request refused');
    }
    next();
  };
}

/**
 * Bounds request bodies before any handler reads them. Bodies must declare their length (browsers and HTTP
 * clients do); a chunked body of unknown length is refused rather than buffered.
 */
export function bodyLimit(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!mutating.has(req.method)) return next();
    const length = req.headers['content-length'];
    if (length === undefined) {
      if (req.headers['transfer-encoding'])
        return problem(res, 411, 'Length Required', 'Send a Content-Length header with the body');
      return next();
    }
    const bytes = Number(length);
    if (!Number.isFinite(bytes) || bytes < 0)
      return problem(res, 400, 'Bad Request', 'Invalid Content-Length header');
    if (bytes > maxBytes) {
      res.setHeader('Connection', 'close');
      // A form posted by a browser without JavaScript (a CSV import) gets a page it can show, not JSON.
      if (req.accepts(['application/problem+json', 'application/json', 'text/html']) === 'text/html') {
        return res.status(413).type('html').send(tooLargePage(maxBytes, req));
      }
      return problem(
        res,
        413,
        'Payload Too Large',
        `The request body is larger than the limit of ${maxBytes} bytes`,
      );
    }
    next();
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The 413 page for browsers: the limit in words and a way back to the form (the same-origin page it came from). */
function tooLargePage(maxBytes: number, req: Request): string {
  const limit =
    maxBytes >= 1024 * 1024
      ? `${Math.round((maxBytes / (1024 * 1024)) * 10) / 10} MB`
      : maxBytes >= 1024
        ? `${Math.floor(maxBytes / 1024)} KB`
        : `${maxBytes} bytes`;
  let back =
    req.originalUrl.startsWith('/') && !req.originalUrl.startsWith('//')
      ? req.originalUrl.split('?')[0]
      : '/';
  try {
    const referer = req.headers.referer ? new URL(req.headers.referer) : null;
    if (referer && referer.host === req.headers.host) back = referer.pathname + referer.search;
  } catch {
    // an unreadable Referer: the form's own address will do
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Too large to send · Refinery</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1.5rem; line-height: 1.5; color: #1b1f24">
<main>
<h1>Too large to send</h1>
<p>What you sent is larger than the server accepts in one request: at most ${escapeHtml(limit)} (the MAX_BODY_BYTES setting). Nothing was changed.</p>
<p>For a CSV import, split the file into smaller files and import them one after another.</p>
<p><a href="${escapeHtml(back)}">Go back</a></p>
</main>
</body></html>
`;
}
