// Client hints, as the Epic Stack does it: the browser's time zone goes into a cookie, so the server renders every
// time in the viewer's zone (app/utils/client-hints.ts reads it). A file of our own origin, because the
// Content-Security-Policy allows no inline script. It runs in <head>, before anything is painted: when the cookie
// was missing or different, it is set and the page loaded again once, so even a first visit shows local times.
(() => {
  const name = 'CH-time-zone';
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) return;
  const read = () => {
    const entry = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
    return entry ? decodeURIComponent(entry.slice(name.length + 1)) : null;
  };
  if (read() === zone) return;
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in some browsers still in use
  document.cookie = `${name}=${encodeURIComponent(zone)}; Max-Age=31536000; Path=/; SameSite=Lax`;
  // Only when the cookie took (cookies may be blocked), or the page would load again and again.
  if (navigator.cookieEnabled && read() === zone) window.location.reload();
})();
