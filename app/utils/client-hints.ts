import { useRouteLoaderData } from '@remix-run/react';
import { defaultTimeZone, resolveTimeZone } from './dates';

/**
 * Client hints: what the browser tells the server about the viewer, in cookies set by public/client-hints.js
 * (loaded by the root layout). Today only the time zone, so times are rendered in the viewer's zone on the server
 * and the first paint is already right. Without the cookie (an API client, a browser without scripts) it is UTC.
 */
export const timeZoneCookie = 'CH-time-zone';

/** The viewer's time zone from the request's cookie, or UTC when it is missing or not a zone this server knows. */
export function timeZoneOf(request: Request): string {
  const header = request.headers.get('cookie');
  if (!header) return defaultTimeZone;
  for (const pair of header.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key !== timeZoneCookie) continue;
    try {
      return resolveTimeZone(decodeURIComponent(rest.join('=')));
    } catch {
      return defaultTimeZone;
    }
  }
  return defaultTimeZone;
}

/** The viewer's time zone in a component: the one the root loader read (UTC on a page rendered without it). */
export function useTimeZone(): string {
  const root = useRouteLoaderData<{ timeZone?: string }>('root');
  return root?.timeZone ?? defaultTimeZone;
}
