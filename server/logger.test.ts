import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, loggablePath } from './logger';

describe('logger', () => {
  it('writes one JSON line per event and redacts secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      { password: 'hunter2hunter2', user: { token: 'rfy_abc' }, headers: { authorization: 'Bearer x' } },
      'login',
    );
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]);
    expect(event.msg).toBe('login');
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('rfy_abc');
    expect(lines[0]).not.toContain('Bearer x');
  });
  it('keeps invite tokens and query strings out of logged paths', () => {
    expect(loggablePath('/invites/inv_secret123?x=1')).toBe('/invites/[redacted]');
    expect(loggablePath('/products/abc?token=1')).toBe('/products/abc');
    // Jira's webhook URL carries the product's webhook secret in its query (issue 16).
    expect(loggablePath('/hooks/jira/7f0c2b1e-0000-4000-8000-000000000000?secret=hook_secret')).toBe(
      '/hooks/jira/7f0c2b1e-0000-4000-8000-000000000000',
    );
    // Dashboard share links, join codes and their API forms, CSV downloads included.
    expect(loggablePath('/share/dashboard/dash_secret123')).toBe('/share/dashboard/[redacted]');
    expect(loggablePath('/share/dashboard/dash_secret123/velocity.csv')).toBe(
      '/share/dashboard/[redacted]/velocity.csv',
    );
    expect(loggablePath('/join/code123')).toBe('/join/[redacted]');
    expect(loggablePath('/api/v1/join/code123')).toBe('/api/v1/join/[redacted]');
    expect(loggablePath('/api/v1/invites/inv_secret/accept')).toBe('/api/v1/invites/[redacted]/accept');
    // A product's public request link and a request's private follow link (issue 17).
    expect(loggablePath('/ask/req_link_secret')).toBe('/ask/[redacted]');
    expect(loggablePath('/follow/follow_secret?index')).toBe('/follow/[redacted]');
  });
});
