/**
 * Acceptance criteria kept inside a tracker issue's description, under a heading of their own (FieldMap's
 * `description-section`), for sites with no criteria field. Issue 16. Works on the description's text form
 * (item-text.ts), so it applies to ADF and wiki alike once they are converted.
 */
import { codeFence } from './description-blocks';

const splitLines = (text: string) => text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
const isBlank = (line: string) => line.trim() === '';
// The same patterns as item-text's parser, so a section ends where the parsed description's block does.
const fencePattern = /^\s*(`{3,}|~{3,})\s*([^`\s]*)\s*$/;
const headingPattern = /^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;

/** Heading texts compare case-insensitively, with runs of spaces and a trailing colon ignored. */
const headingKey = (text: string) => text.trim().replace(/\s*:$/, '').replace(/\s+/g, ' ').toLowerCase();

interface Section {
  /** the heading line */
  start: number;
  /** the line after the section (the next heading of its level or higher, or the end) */
  end: number;
}

/**
 * The section under the heading: a heading line (any level) with that text, else a line that is only that text
 * (a bold "Acceptance criteria:" line, as people write in Jira, reads as that), which then runs to the next
 * heading of any level. Lines inside code fences are never headings (Gherkin's "# comment" is one).
 */
function findSection(lines: string[], heading: string): Section | null {
  const key = headingKey(heading);
  const candidates: Array<Section & { level: number }> = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence !== null) {
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    const open = fencePattern.exec(line);
    if (open) {
      fence = open[1];
      continue;
    }
    const match = headingPattern.exec(line);
    const level = match ? match[1].length : null;
    for (const section of candidates)
      if (section.end < 0 && level !== null && level <= section.level) section.end = i;
    if (match && headingKey(match[2] ?? '') === key) candidates.push({ start: i, end: -1, level: level! });
    else if (!match && headingKey(line) === key) candidates.push({ start: i, end: -1, level: 7 });
  }
  const found = candidates.find((s) => s.level <= 6) ?? candidates[0];
  if (!found) return null;
  return { start: found.start, end: found.end < 0 ? lines.length : found.end };
}

function trimBlankLines(lines: string[]): string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && isBlank(lines[from])) from++;
  while (to > from && isBlank(lines[to - 1])) to--;
  return lines.slice(from, to);
}

/** The description without lines [start, end): the parts around them joined by one blank line. */
function withoutLines(lines: string[], start: number, end: number): string {
  const before = trimBlankLines(lines.slice(0, start)).join('\n');
  const after = trimBlankLines(lines.slice(end)).join('\n');
  return before && after ? `${before}\n\n${after}` : before || after;
}

/** A section's body as criteria: the text of a code fence that is all of it, else its lines as they are. */
function sectionCriteria(body: string[]): string {
  const lines = trimBlankLines(body);
  const open = lines.length >= 2 ? fencePattern.exec(lines[0]) : null;
  if (open) {
    const close = lines.findIndex((line, i) => i > 0 && line.trim().startsWith(open[1]));
    if (close === lines.length - 1) return lines.slice(1, -1).join('\n');
  }
  return lines.join('\n');
}

/**
 * Splits the criteria out of a description: the section under the heading (any level, case-insensitive, a
 * trailing colon ignored; else a line holding only that text) up to the next heading of the same or a higher
 * level. The criteria are the section's text, without a code fence wrapped around all of it; the description is
 * the rest (the parts around the section joined by a blank line). No such heading: criteria null, description
 * unchanged. A heading with nothing under it: criteria ''.
 */
export function splitCriteria(
  description: string,
  heading: string,
): { description: string; criteria: string | null } {
  const lines = splitLines(description);
  const section = findSection(lines, heading);
  if (!section) return { description, criteria: null };
  return {
    description: withoutLines(lines, section.start, section.end),
    criteria: sectionCriteria(lines.slice(section.start + 1, section.end)),
  };
}

/** Criteria as a ```gherkin fence (longer when a line of them starts with backticks, as a doc string may). */
function fenced(criteria: string): string {
  const fence = codeFence(criteria);
  return `${fence}gherkin\n${splitLines(criteria).join('\n')}\n${fence}`;
}

/**
 * Puts criteria back into a description: an existing section under the heading gets the criteria as its body
 * (its heading line kept, the rest of the description left where it is); with none, "## <heading>" and the
 * criteria are appended. The criteria always go in a ```gherkin fence, so Gherkin's "# comment", "| table |" and
 * "* step" lines stay text, and splitCriteria gives them back exactly. No criteria (null, or only blanks): the
 * section is taken out.
 */
export function joinCriteria(description: string, criteria: string | null, heading: string): string {
  const lines = splitLines(description);
  const section = findSection(lines, heading);
  const empty = criteria === null || criteria.trim() === '';
  if (!section) {
    if (empty) return description;
    const rest = trimBlankLines(lines).join('\n');
    return `${rest ? `${rest}\n\n` : ''}## ${heading.trim()}\n\n${fenced(criteria)}`;
  }
  if (empty) return withoutLines(lines, section.start, section.end);
  const before = trimBlankLines(lines.slice(0, section.start)).join('\n');
  const after = trimBlankLines(lines.slice(section.end)).join('\n');
  return [before, `${lines[section.start]}\n\n${fenced(criteria)}`, after]
    .filter((part) => part !== '')
    .join('\n\n');
}
