import { isIP } from 'node:net';

/**
 * A tracker's address as the product owner typed it, checked before the server calls it: an absolute http(s) URL
 * without credentials, query or fragment; only https and public hosts unless private addresses are allowed
 * (TRACKER_ALLOW_PRIVATE_URLS), so a connection cannot be used to probe the server's own network. Returns the
 * normalised base URL (no trailing slash) or the reason it is refused.
 */
export function checkSiteUrl(
  raw: string,
  allowPrivate: boolean,
): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'Enter the site’s address, e.g. https://your-team.atlassian.net' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'The address must start with https://' };
  if (url.username || url.password)
    return { ok: false, reason: 'Put the credentials in their own fields, not in the address' };
  if (url.search || url.hash) return { ok: false, reason: 'The address must not have a query or a fragment' };
  if (!allowPrivate) {
    if (url.protocol !== 'https:') return { ok: false, reason: 'The address must start with https://' };
    if (isPrivateHost(url.hostname))
      return {
        ok: false,
        reason: 'That address is on a private network; this server only connects to public sites',
      };
  }
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  )
    return true;
  const version = isIP(host);
  if (version === 4) {
    const [a, b] = host.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (version === 6)
    return (
      host === '::1' ||
      host === '::' ||
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('fe80') ||
      host.startsWith('::ffff:')
    );
  return false;
}
