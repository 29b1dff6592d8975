import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateHost } from '~/services/trackers/site-url';

export const maxWebhookUrlLength = 2000;

/**
 * A webhook's address as the product owner typed it, checked before anything is sent (decision 0041): an absolute
 * URL without credentials or fragment (a query is kept: chat services put their token there), at most 2000
 * characters; only https to public hosts unless WEBHOOK_ALLOW_PRIVATE_URLS, so a webhook cannot be used to probe
 * the server's own network (the same rules as a tracker's address, app/services/trackers/site-url.ts).
 */
export function checkWebhookUrl(
  raw: string,
  allowPrivate: boolean,
): { ok: true; url: string; host: string } | { ok: false; reason: string } {
  const text = raw.trim();
  if (text.length > maxWebhookUrlLength)
    return { ok: false, reason: `The address must be at most ${maxWebhookUrlLength} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'Enter the full address, e.g. https://chat.example.com/hooks/refinery' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'The address must start with https://' };
  if (url.username || url.password)
    return { ok: false, reason: 'The address must not carry a user name or password' };
  if (url.hash) return { ok: false, reason: 'The address must not have a fragment (#…)' };
  if (!allowPrivate) {
    if (url.protocol !== 'https:') return { ok: false, reason: 'The address must start with https://' };
    if (isPrivateHost(url.hostname))
      return {
        ok: false,
        reason: 'That address is on a private network; webhooks only go to public sites',
      };
  }
  return { ok: true, url: url.href, host: url.host };
}

/**
 * Checked again just before each send: the host's addresses must all be public (a public name that resolves to
 * a private address is refused too), unless private addresses are allowed. Returns the reason, or null.
 */
export async function refusedAtSend(
  rawUrl: string,
  allowPrivate: boolean,
  resolve: (host: string) => Promise<string[]> = defaultResolve,
): Promise<string | null> {
  const checked = checkWebhookUrl(rawUrl, allowPrivate);
  if (!checked.ok) return checked.reason;
  if (allowPrivate) return null;
  const host = new URL(checked.url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return `The host ${host} could not be found`;
  }
  if (addresses.some((a) => isPrivateHost(a)))
    return 'That address resolves to a private network; webhooks only go to public sites';
  return null;
}

const defaultResolve = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);
