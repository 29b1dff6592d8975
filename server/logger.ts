import pino from 'pino';

export type Logger = pino.Logger;

/** One JSON line per event. Credentials and tokens are redacted wherever they appear in a logged object. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'refinery' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          'vote',
          '*.vote',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Paths that carry a secret in the URL (invite links, share links) are logged without it. */
export function loggablePath(url: string): string {
  const path = url.split('?')[0];
  return path
    .replace(/^\/share\/dashboard\/[^/]+/, '/share/dashboard/[redacted]')
    .replace(/^\/(invites|join|ask|follow)\/[^/]+/, '/$1/[redacted]')
    .replace(/^\/api\/v1\/(invites|join)\/[^/]+/, '/api/v1/$1/[redacted]');
}
