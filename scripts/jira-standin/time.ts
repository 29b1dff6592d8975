/**
 * Jira's time formats. The stand-in's users live in UTC, so a JQL date like "2025-01-15 10:00" is UTC too.
 */

/** Jira's datetime: `2025-01-15T10:23:45.123+0000`. */
export function jiraDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([-+]?)((?:\s*\d+\s*[wdhm]\s*)+)$/i;
const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/**
 * A JQL date value as epoch ms: `yyyy-MM-dd HH:mm`, `yyyy/MM/dd HH:mm`, `yyyy-MM-dd`, `yyyy/MM/dd`, or a period
 * relative to now (`-5d`, `-4w 2d`, `-90m`). Null when the value is none of these.
 */
export function parseJqlDate(value: string, now: number): number | null {
  const trimmed = value.trim();
  const date = DATE.exec(trimmed);
  if (date) {
    const [, y, mo, d, h = '0', mi = '0'] = date;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
    const check = new Date(ms);
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23)
      return null;
    return ms;
  }
  const period = PERIOD.exec(trimmed);
  if (period) {
    const sign = period[1] === '-' ? -1 : 1;
    let total = 0;
    for (const part of period[2].matchAll(/(\d+)\s*([wdhm])/gi)) {
      total += Number(part[1]) * UNIT_MS[part[2].toLowerCase()];
    }
    return now + sign * total;
  }
  return null;
}
