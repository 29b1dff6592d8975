/** Where people land after logging in or signing up when no (acceptable) destination was given. */
export const defaultRedirect = '/products';

// Only the path matters: the input must be a path, so any origin gives the same answer. A reserved name makes sure
// nothing is ever resolved against a real host.
const parsingOrigin = 'http://refinery.invalid';

// C0 controls, DEL and the C1 range: browsers strip tabs and line breaks from URLs (so `/\t/evil` becomes `//evil`)
// and a line break in a header value is refused by Node (a 500 after a successful login).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

function decodedOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * A destination taken from user input (a `redirectTo` field) as a same-origin path with its query and hash, or
 * `fallback`. Refused: anything not starting with one `/`, protocol-relative forms (`//`, `/\`, and what a browser
 * turns into them once it drops tabs and line breaks), absolute URLs, control characters (raw or percent-encoded)
 * and backslashes (raw or percent-encoded), which browsers read as `/`.
 */
export function safeRedirect(to: unknown, fallback = defaultRedirect): string {
  if (typeof to !== 'string' || to.length === 0 || to.length > 2000) return fallback;
  if (!to.startsWith('/') || to.startsWith('//')) return fallback;
  const decoded = decodedOrNull(to);
  if (decoded === null) return fallback;
  for (const form of [to, decoded]) {
    if (controlCharacter.test(form) || form.includes('\\')) return fallback;
  }
  if (decoded.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(to, parsingOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== parsingOrigin) return fallback;
  const target = url.pathname + url.search + url.hash;
  // Dot segments can collapse into a protocol-relative path: `/.//evil` resolves to `//evil`.
  if (!target.startsWith('/') || target.startsWith('//')) return fallback;
  return target;
}
