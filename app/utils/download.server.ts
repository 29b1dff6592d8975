/**
 * Headers for a file download. The name is an ASCII slug of `base` (safe on every OS and in every browser), with
 * the original name also given in RFC 5987 form for browsers that show it.
 */
export function downloadHeaders(base: string, extension: string, contentType: string): HeadersInit {
  const slug = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  const ascii = `${slug || 'download'}.${extension}`;
  const utf8 = encodeURIComponent(
    `${base.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').trim() || 'download'}.${extension}`,
  );
  return {
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}
