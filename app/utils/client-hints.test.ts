import { describe, expect, it } from 'vitest';
import { timeZoneCookie, timeZoneOf } from './client-hints';

const withCookie = (cookie?: string) =>
  new Request('http://localhost/', cookie === undefined ? {} : { headers: { cookie } });

describe('the time zone client hint', () => {
  it('reads the zone the browser put in its cookie, among other cookies', () => {
    expect(timeZoneOf(withCookie(`session=abc; ${timeZoneCookie}=America%2FLos_Angeles; other=1`))).toBe(
      'America/Los_Angeles',
    );
    expect(timeZoneOf(withCookie(`${timeZoneCookie}=Europe/Berlin`))).toBe('Europe/Berlin');
  });

  it('is UTC without the cookie, and for an unknown or malformed zone', () => {
    expect(timeZoneOf(withCookie())).toBe('UTC');
    expect(timeZoneOf(withCookie('session=abc'))).toBe('UTC');
    expect(timeZoneOf(withCookie(`${timeZoneCookie}=Mars%2FOlympus`))).toBe('UTC');
    expect(timeZoneOf(withCookie(`${timeZoneCookie}=%E0%A4%A`))).toBe('UTC');
    expect(timeZoneOf(withCookie(`${timeZoneCookie}=`))).toBe('UTC');
    expect(timeZoneOf(withCookie(`${timeZoneCookie}=${'A/'.repeat(100)}`))).toBe('UTC');
  });
});
