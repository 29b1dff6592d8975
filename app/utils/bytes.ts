/** A size for people: 512 bytes, 900 KB, 1 MB, 2.5 MB (1 KB = 1024 bytes, as file managers count). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.floor(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(Math.round(mb * 10) / 10) ? Math.round(mb) : (Math.round(mb * 10) / 10).toFixed(1)} MB`;
}
