/**
 * Writing CSV for downloads: every cell quoted, quotes doubled, and cells a spreadsheet would run as a formula
 * (text starting with = + - @ or a tab/return; numbers stay numbers) prefixed with a quote so they open as text.
 */
export function csvCell(value: unknown): string {
  let text = Array.isArray(value)
    ? value.join(' ')
    : value === null || value === undefined
      ? ''
      : String(value);
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** A CSV document (CRLF line ends, as RFC 4180 and spreadsheets expect) from a header and rows. */
export function toCsv(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const lines = [head.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
