/**
 * Jira wiki markup (Jira Data Center's REST v2 text fields) ↔ an item's description text. Issue 16.
 *
 * A reasonable subset: h1.–h6. headings, `*` / `-` / `#` lists (nested, mixed), {code}/{noformat}, bq. and
 * {quote}, ----, tables (read as " | " rows), {panel}-like macros (read as their content), and inline effects
 * (*strong*, _emphasis_, {{monospace}}, -deleted-, +inserted+, ^sup^, ~sub~, ??citation??, [links], !images!,
 * {color}) whose marks are dropped, as for ADF. Writing escapes every character wiki markup would otherwise
 * read as an effect, so `wikiToText(textToWiki(t))` gives the text back for what the subset can say.
 *
 * What wiki markup cannot say is lost on the way to Jira: an ordered list's start (wiki lists count from 1), and
 * blocks after the first paragraph of a list item (they join its paragraph as line breaks), a quote inside a
 * quote. A code block's text is written as it is, so a line holding "{code}" in it would end it early.
 */
import { descriptionBlocksText, normalDescriptionText } from './description-blocks';
import { type DescriptionBlock, parseDescription } from './item-text';

const splitLines = (text: string) => text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
const isBlank = (line: string) => line.trim() === '';

// ---- inline: wiki → text -------------------------------------------------------------------------------

/** Characters a backslash escapes (read as themselves); before any other character a backslash is kept. */
const escapable = new Set([...'*_-+^~?{}[]!|#.&']);
const effectChars = new Set([...'*_-+^~']);
const inlineMacros = /^\{(color|anchor|code|noformat|quote|panel)(?::[^}\n]*)?\}/;
const literalBackslash = '&#92;';

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);

/** Can the effect character at i open an effect: start or non-word before it, and not a space after. */
const canOpen = (s: string, i: number, width = 1) =>
  !isWordChar(s[i - 1]) && i + width < s.length && !isSpace(s[i + width]);
/** Can it close one: not a space before it, and the end or a non-word after it. */
const canClose = (s: string, i: number, width = 1) => !isSpace(s[i - 1]) && !isWordChar(s[i + width]);

/** The index of the marker closing an effect opened at `open`, on the same line, or -1. */
function closingMarker(s: string, open: number, marker: string): number {
  for (let j = open + marker.length + 1; j < s.length; j++) {
    if (s[j] === '\n') return -1;
    if (s[j] === '\\') {
      j++;
      continue;
    }
    if (s.startsWith(marker, j) && canClose(s, j, marker.length)) return j;
  }
  return -1;
}

/** Wiki inline markup as plain text: effects' markers and macros dropped, links as their text, images left out. */
export function wikiInlineText(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '\\') {
        out += '\n';
        i += 2;
      } else if (next !== undefined && escapable.has(next)) {
        out += next;
        i += 2;
      } else {
        out += c;
        i++;
      }
      continue;
    }
    if (s.startsWith(literalBackslash, i)) {
      out += '\\';
      i += literalBackslash.length;
      continue;
    }
    if (s.startsWith('{{', i)) {
      const end = s.indexOf('}}', i + 2);
      if (end > i + 2 && !s.slice(i, end).includes('\n')) {
        out += wikiInlineText(s.slice(i + 2, end));
        i = end + 2;
        continue;
      }
    }
    if (c === '{') {
      const macro = inlineMacros.exec(s.slice(i));
      if (macro) {
        i += macro[0].length;
        continue;
      }
    }
    if (c === '[') {
      const end = s.indexOf(']', i + 1);
      if (end > i + 1 && !s.slice(i, end).includes('\n')) {
        const inner = s.slice(i + 1, end);
        const bar = inner.indexOf('|');
        if (bar >= 0) out += wikiInlineText(inner.slice(0, bar));
        else if (inner.startsWith('~')) out += `@${inner.slice(1)}`;
        else if (inner.startsWith('^')) out += inner.slice(1);
        else out += inner;
        i = end + 1;
        continue;
      }
    }
    if (c === '!' && !isSpace(s[i + 1]) && s[i + 1] !== '!' && s[i + 1] !== '\\') {
      const end = s.indexOf('!', i + 1);
      if (end > 0 && !/[\n\\]/.test(s.slice(i + 1, end))) {
        i = end + 1; // an image or attachment: left out, as media is
        continue;
      }
    }
    const marker = c === '?' && s[i + 1] === '?' ? '??' : effectChars.has(c) ? c : null;
    if (marker && canOpen(s, i, marker.length)) {
      const end = closingMarker(s, i, marker);
      if (end > 0) {
        out += wikiInlineText(s.slice(i + marker.length, end));
        i = end + marker.length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

// ---- blocks: wiki → text -------------------------------------------------------------------------------

const headingLine = /^\s*h([1-6])\.(?:\s+(.*))?$/;
const quoteLine = /^\s*bq\.(?:\s+(.*))?$/;
const ruleLine = /^\s*-{4,}\s*$/;
const listLine = /^\s*([*#]+|-)\s+(.*)$/;
const tableLine = /^\s*\|/;
const blockMacro = /^\s*\{(code|noformat|quote|panel|info|note|tip|warning|expand)(?::([^}]*))?\}(.*)$/;

function codeLanguage(params: string | undefined): string | null {
  if (!params) return null;
  for (const param of params.split('|')) {
    const [key, value] = param.split('=');
    if (value === undefined && key.trim()) return key.trim();
    if (key.trim() === 'language' && value?.trim()) return value.trim();
  }
  return null;
}

/** The lines of a block macro from the one opening it: its body and the index after its closing tag. */
function macroBody(
  lines: string[],
  start: number,
  name: string,
  rest: string,
): { body: string[]; next: number } {
  const close = `{${name}}`;
  /** The closing tag's index in a line, skipping an escaped one (a quote's text escapes its braces). */
  const closeAt = (line: string) => {
    for (let at = line.indexOf(close); at >= 0; at = line.indexOf(close, at + 1))
      if (line[at - 1] !== '\\') return at;
    return -1;
  };
  const sameLine = closeAt(rest);
  if (sameLine >= 0) return { body: [rest.slice(0, sameLine)], next: start + 1 };
  const body = rest.trim() === '' ? [] : [rest];
  let i = start + 1;
  while (i < lines.length) {
    const at = closeAt(lines[i]);
    if (at >= 0) {
      if (lines[i].slice(0, at).trim() !== '') body.push(lines[i].slice(0, at));
      return { body, next: i + 1 };
    }
    body.push(lines[i++]);
  }
  return { body, next: i };
}

const tableRow = (line: string) =>
  line
    .trim()
    .replace(/^\|\|?/, '')
    .replace(/\|\|?$/, '')
    .split(/(?<!\\)\|\|?/)
    .map((cell) => wikiInlineText(cell.trim()).replace(/\s*\n\s*/g, ' '))
    .join(' | ');

interface ListEntry {
  marker: string;
  text: string;
}

/** One list from entries[start] at `depth` (the marker's length - 1); nested lists go into their item. */
function wikiList(
  entries: ListEntry[],
  start: number,
  depth: number,
): { block: DescriptionBlock; next: number } {
  const ordered = entries[start].marker[depth] === '#';
  const items: DescriptionBlock[][] = [];
  let i = start;
  while (i < entries.length) {
    const { marker, text } = entries[i];
    if (marker.length < depth + 1) break;
    if (marker.length === depth + 1) {
      if ((marker[depth] === '#') !== ordered) break;
      items.push([{ type: 'paragraph', text: wikiInlineText(text) }]);
      i++;
      continue;
    }
    if (items.length === 0) items.push([{ type: 'paragraph', text: '' }]);
    const nested = wikiList(entries, i, depth + 1);
    items[items.length - 1].push(nested.block);
    i = nested.next;
  }
  return {
    block: ordered ? { type: 'orderedList', start: 1, items } : { type: 'bulletList', items },
    next: i,
  };
}

function wikiBlocks(lines: string[]): DescriptionBlock[] {
  const blocks: DescriptionBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const macro = blockMacro.exec(line);
    if (macro) {
      const [, name, params, rest] = macro;
      const { body, next } = macroBody(lines, i, name, rest);
      i = next;
      if (name === 'code' || name === 'noformat') {
        const language = name === 'code' ? codeLanguage(params) : null;
        blocks.push({ type: 'codeBlock', language, text: body.join('\n') });
      } else if (name === 'quote') {
        blocks.push({ type: 'blockquote', blocks: wikiBlocks(body) });
      } else {
        blocks.push(...wikiBlocks(body));
      }
      continue;
    }
    const heading = headingLine.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: Number(heading[1]), text: wikiInlineText(heading[2] ?? '') });
      i++;
      continue;
    }
    const quote = quoteLine.exec(line);
    if (quote) {
      blocks.push({
        type: 'blockquote',
        blocks: [{ type: 'paragraph', text: wikiInlineText(quote[1] ?? '') }],
      });
      i++;
      continue;
    }
    if (ruleLine.test(line)) {
      blocks.push({ type: 'horizontalRule' });
      i++;
      continue;
    }
    if (listLine.test(line)) {
      const entries: ListEntry[] = [];
      while (i < lines.length) {
        const m = listLine.exec(lines[i]);
        if (!m) break;
        entries.push({ marker: m[1].replace(/-/g, '*'), text: m[2] });
        i++;
      }
      let at = 0;
      while (at < entries.length) {
        // A list starts at its shallowest marker; one starting deeper (malformed) is read from its own depth.
        const list = wikiList(entries, at, entries[at].marker.length - 1);
        blocks.push(list.block);
        at = list.next;
      }
      continue;
    }
    if (tableLine.test(line)) {
      const rows: string[] = [];
      while (i < lines.length && tableLine.test(lines[i])) rows.push(tableRow(lines[i++]));
      blocks.push({ type: 'paragraph', text: rows.join('\n') });
      continue;
    }
    const paragraph: string[] = [line];
    i++;
    while (i < lines.length && !isBlank(lines[i]) && !startsWikiBlock(lines[i])) paragraph.push(lines[i++]);
    blocks.push({ type: 'paragraph', text: wikiInlineText(paragraph.join('\n')) });
  }
  return blocks;
}

const startsWikiBlock = (line: string) =>
  blockMacro.test(line) ||
  headingLine.test(line) ||
  quoteLine.test(line) ||
  ruleLine.test(line) ||
  listLine.test(line) ||
  tableLine.test(line);

/**
 * Jira wiki markup as the description's text, in the form Refinery stores. Effects are dropped (their text
 * kept), a link becomes its text (or its address when it has none), a user link "@name", images are left out,
 * a table becomes a line per row with cells joined by " | ", a panel or note its content. Never throws.
 */
export function wikiToText(wiki: string): string {
  return normalDescriptionText(descriptionBlocksText(wikiBlocks(splitLines(wiki))));
}

// ---- text → wiki ---------------------------------------------------------------------------------------

/** Escapes what wiki markup would read as an effect, a macro, a link or an image; "\n" stays a line break. */
function escapeInline(text: string, lineBreak: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\n') out += lineBreak;
    else if (c === '\\')
      out +=
        next === undefined || (!escapable.has(next) && next !== '\\' && next !== '\n') ? c : literalBackslash;
    else if (c === '&' && text.startsWith(literalBackslash, i)) out += '\\&';
    else if (c === '{' || c === '[') out += `\\${c}`;
    else if (c === '!' && !isSpace(next)) out += '\\!';
    else if (c === '?' && next === '?') out += '\\?';
    else if (
      effectChars.has(c) &&
      // next to a line break: a list item writes it as two backslashes, which do not read as a space
      (canOpen(text, i) || canClose(text, i) || text[i - 1] === '\n' || next === '\n')
    )
      out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** A line that would start a wiki block gets its first character escaped, so it stays text. */
function escapeLineStart(line: string): string {
  if (/^\s*h[1-6]\./.test(line) || /^\s*bq\./.test(line)) return line.replace('.', '\\.');
  const m = /^(\s*)([*#|-])/.exec(line);
  if (m && startsWikiBlock(line)) return `${m[1]}\\${line.slice(m[1].length)}`;
  return line;
}

const escapeText = (text: string) => escapeInline(text, '\n').split('\n').map(escapeLineStart).join('\n');

function listWiki(block: Extract<DescriptionBlock, { type: 'bulletList' | 'orderedList' }>, prefix: string) {
  const marker = prefix + (block.type === 'orderedList' ? '#' : '*');
  const lines: string[] = [];
  for (const item of block.items) {
    const texts: string[] = [];
    const nested: string[] = [];
    for (const inner of item) {
      if (inner.type === 'bulletList' || inner.type === 'orderedList') nested.push(listWiki(inner, marker));
      else if (inner.type === 'paragraph') texts.push(inner.text);
      else texts.push(descriptionBlocksText([inner]));
    }
    // "* " with nothing after it still reads as an (empty) item
    lines.push(`${marker} ${escapeInline(texts.filter((t) => t !== '').join('\n'), '\\\\')}`);
    lines.push(...nested);
  }
  return lines.join('\n');
}

function blockWiki(block: DescriptionBlock): string | null {
  switch (block.type) {
    case 'paragraph':
      return block.text.trim() === '' ? null : escapeText(block.text);
    case 'heading':
      return block.text.trim() === ''
        ? null
        : `h${Math.min(6, Math.max(1, block.level))}. ${escapeInline(block.text, ' ')}`;
    case 'bulletList':
    case 'orderedList':
      return block.items.length ? listWiki(block, '') : null;
    case 'blockquote': {
      const only = block.blocks[0];
      if (block.blocks.length === 1 && only.type === 'paragraph' && !only.text.includes('\n'))
        return only.text.trim() === '' ? null : `bq. ${escapeInline(only.text, ' ')}`;
      const inner = blocksWiki(block.blocks);
      return inner === '' ? null : `{quote}\n${inner}\n{quote}`;
    }
    case 'codeBlock':
      return `{code${block.language ? `:${block.language}` : ''}}\n${block.text}\n{code}`;
    case 'horizontalRule':
      return '----';
  }
}

const blocksWiki = (blocks: DescriptionBlock[]) =>
  blocks
    .map(blockWiki)
    .filter((t) => t !== null)
    .join('\n\n');

/**
 * The description's text as Jira wiki markup: headings as h1.–h6., lists as * and # lines (nested by repeating
 * the marker), code as {code:language}, a one-line quote as bq. (else {quote}), rules as ----, and every
 * character wiki would read as markup escaped. An empty text gives ''.
 */
export function textToWiki(text: string): string {
  return blocksWiki(parseDescription(text));
}
