import { describe, expect, it } from 'vitest';
import { checkSiteUrl } from './site-url';

describe('a tracker site address', () => {
  it('takes a public https site and normalises it', () => {
    expect(checkSiteUrl(' https://team.atlassian.net/ ', false)).toEqual({
      ok: true,
      url: 'https://team.atlassian.net',
    });
    expect(checkSiteUrl('https://jira.example.com/jira/', false)).toEqual({
      ok: true,
      url: 'https://jira.example.com/jira',
    });
  });

  it.each([
    ['not a url', /address/],
    ['ftp://jira.example.com', /https/],
    ['http://jira.example.com', /https/],
    ['https://user:pw@jira.example.com', /credentials/],
    ['https://jira.example.com/?x=1', /query/],
    ['https://localhost:8080', /private/],
    ['https://127.0.0.1', /private/],
    ['https://10.1.2.3', /private/],
    ['https://192.168.0.10', /private/],
    ['https://172.20.0.1', /private/],
    ['https://169.254.169.254', /private/],
    ['https://[::1]', /private/],
    ['https://[fd00::1]', /private/],
    ['https://[::ffff:127.0.0.1]', /private/],
    ['https://metadata.internal', /private/],
  ])('refuses %s when private addresses are not allowed', (raw, reason) => {
    const result = checkSiteUrl(raw, false);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('allows http and private addresses when configured (a company Jira, the tests’ stand-in)', () => {
    expect(checkSiteUrl('http://127.0.0.1:4320', true)).toEqual({ ok: true, url: 'http://127.0.0.1:4320' });
  });
});
