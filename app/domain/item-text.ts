/**
 * The collaborative text of a backlog item, as it lives in the item's live document (`item:<id>`): two
 * Y.XmlFragments in the shape the Tiptap (y-prosemirror) binding reads and writes.
 *
 * - `description`: rich text (paragraphs, headings, bullet and ordered lists, quotes, code blocks, rules; marks).
 *   Postgres keeps a readable plain-text projection of it, a small Markdown-like form ("# " headings, "- " and
 *   "1. " list lines, "> " quotes, fenced code), so search and export read well. Marks are not projected.
 * - `criteria`: Gherkin source, one plain paragraph per line and no marks, so its text maps 1:1 to lines and a
 *   parse error's line number is the line the editor shows.
 *
 * Plain text → fragment content is used to seed a document that was never edited live, and when the text is
 * replaced over HTTP. Fragment → plain text is the projection written back to Postgres. For the description,
 * projecting a fragment, seeding from that projection and projecting again gives the same text.
 */
import * as Y from 'yjs';

export const descriptionField = 'description';
export const criteriaField = 'criteria';

export interface ItemTexts {
  description: string;
  criteria: string;
}

// ---- the description's block model ---------------------------------------------------------------------

export type DescriptionBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: number; text: string }
  | { type: 'bulletList'; items: DescriptionBlock[][] }
  | { type: 'orderedList'; start: number; items: DescriptionBlock[][] }
  | { type: 'blockquote'; blocks: DescriptionBlock[] }
  | { type: 'codeBlock'; language: string | null; text: string }
  | { type: 'horizontalRule' };

const splitLines = (text: string) => text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
const isBlank = (line: string) => line.trim() === '';
const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].replace(/\t/g, '  ').length;

const fencePattern = /^\s*(`{3,}|~{3,})\s*([^`\s]*)\s*$/;
const headingPattern = /^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const rulePattern = /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/;
const quotePattern = /^\s{0,3}>/;
const listPattern = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;

interface ListMarker {
  indent: number;
  ordered: boolean;
  number: number;
  /** width of indentation and marker with its space: continuation lines are indented by this much */
  width: number;
  text: string;
}

function listMarker(line: string): ListMarker | null {
  if (rulePattern.test(line)) return null;
  const m = listPattern.exec(line);
  if (!m) return null;
  const ordered = /\d/.test(m[2]);
  const indent = indentOf(m[1]);
  return {
    indent,
    ordered,
    number: ordered ? Number.parseInt(m[2], 10) : 0,
    width: indent + m[2].length + 1,
    text: m[3] ?? '',
  };
}

/** A line that begins a block of its own (and so ends a paragraph). */
const startsBlock = (line: string) =>
  fencePattern.test(line) ||
  headingPattern.test(line) ||
  rulePattern.test(line) ||
  quotePattern.test(line) ||
  listMarker(line) !== null;

function dedent(line: string, by: number): string {
  let removed = 0;
  let i = 0;
  while (i < line.length && removed < by && (line[i] === ' ' || line[i] === '\t')) {
    removed += line[i] === '\t' ? 2 : 1;
    i++;
  }
  return line.slice(i);
}

function parseBlocks(lines: string[]): DescriptionBlock[] {
  const blocks: DescriptionBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = fencePattern.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++; // the closing fence (or the end)
      blocks.push({ type: 'codeBlock', language: fence[2] || null, text: body.join('\n') });
      continue;
    }
    const heading = headingPattern.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1].length, text: heading[2] ?? '' });
      i++;
      continue;
    }
    if (rulePattern.test(line)) {
      blocks.push({ type: 'horizontalRule' });
      i++;
      continue;
    }
    if (quotePattern.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && quotePattern.test(lines[i]))
        inner.push(lines[i++].replace(/^\s{0,3}> ?/, ''));
      blocks.push({ type: 'blockquote', blocks: parseBlocks(inner) });
      continue;
    }
    const marker = listMarker(line);
    if (marker) {
      i = parseList(lines, i, marker, blocks);
      continue;
    }
    const text: string[] = [line];
    i++;
    while (i < lines.length && !isBlank(lines[i]) && !startsBlock(lines[i])) text.push(lines[i++]);
    blocks.push({ type: 'paragraph', text: text.join('\n') });
  }
  return blocks;
}

/** Reads one list starting at lines[start]; returns the index after it. */
function parseList(lines: string[], start: number, first: ListMarker, out: DescriptionBlock[]): number {
  const items: DescriptionBlock[][] = [];
  let i = start;
  for (;;) {
    const marker = listMarker(lines[i])!;
    i++;
    const text = [marker.text];
    const nested: string[] = [];
    while (i < lines.length) {
      const line = lines[i];
      if (isBlank(line)) {
        // A blank line ends the item; the list goes on only if the next line is an item of this list.
        let next = i;
        while (next < lines.length && isBlank(lines[next])) next++;
        const after = next < lines.length ? listMarker(lines[next]) : null;
        if (after && after.indent > first.indent) {
          i = next;
          continue;
        }
        break;
      }
      const inner = listMarker(line);
      if (inner && inner.indent <= first.indent) break;
      if (inner || nested.length > 0) {
        nested.push(dedent(line, marker.width));
      } else if (startsBlock(line) && indentOf(line) < marker.width) {
        break;
      } else {
        text.push(dedent(line, marker.width));
      }
      i++;
    }
    items.push([{ type: 'paragraph', text: text.join('\n') }, ...parseBlocks(nested)]);
    if (i >= lines.length) break;
    let next = i;
    while (next < lines.length && isBlank(lines[next])) next++;
    const after = next < lines.length ? listMarker(lines[next]) : null;
    if (!after || after.indent !== first.indent || after.ordered !== first.ordered) break;
    i = next;
  }
  out.push(
    first.ordered ? { type: 'orderedList', start: first.number, items } : { type: 'bulletList', items },
  );
  return i;
}

/** The description's plain text as blocks. */
export function parseDescription(text: string): DescriptionBlock[] {
  return parseBlocks(splitLines(text));
}

// ---- plain text → fragment content ---------------------------------------------------------------------

/**
 * A text with line breaks as inline content: text runs and hardBreak nodes. An empty text is one empty run, as
 * the editor binding keeps it: people who start typing into the same empty line at once then type into one run
 * (with two runs made at once, the binding garbles their letters).
 */
function inlineContent(text: string): Array<Y.XmlText | Y.XmlElement> {
  if (text === '') return [new Y.XmlText()];
  const content: Array<Y.XmlText | Y.XmlElement> = [];
  text.split('\n').forEach((part, index) => {
    if (index > 0) content.push(new Y.XmlElement('hardBreak'));
    if (part) content.push(new Y.XmlText(part));
  });
  return content;
}

function element(
  name: string,
  children: Array<Y.XmlText | Y.XmlElement>,
  attributes: Record<string, number | string> = {},
) {
  const node = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string);
  if (children.length > 0) node.insert(0, children);
  return node;
}

function blockElement(block: DescriptionBlock): Y.XmlElement {
  switch (block.type) {
    case 'paragraph':
      return element('paragraph', inlineContent(block.text));
    case 'heading':
      return element('heading', inlineContent(block.text), { level: block.level });
    case 'bulletList':
      return element(
        'bulletList',
        block.items.map((item) => element('listItem', item.map(blockElement))),
      );
    case 'orderedList':
      return element(
        'orderedList',
        block.items.map((item) => element('listItem', item.map(blockElement))),
        { start: block.start },
      );
    case 'blockquote':
      return element(
        'blockquote',
        (block.blocks.length ? block.blocks : [{ type: 'paragraph' as const, text: '' }]).map(blockElement),
      );
    case 'codeBlock':
      return element(
        'codeBlock',
        block.text ? [new Y.XmlText(block.text)] : [],
        block.language ? { language: block.language } : {},
      );
    case 'horizontalRule':
      return element('horizontalRule', []);
  }
}

/**
 * Fragment content for a description given as plain text (not yet part of a document). An empty text is one
 * empty paragraph, what an editor shows: people who start typing into it at once then share that paragraph
 * instead of each adding one of their own.
 */
export function descriptionElements(text: string): Y.XmlElement[] {
  const blocks = parseDescription(text);
  return (blocks.length > 0 ? blocks : [{ type: 'paragraph' as const, text: '' }]).map(blockElement);
}

/** Fragment content for criteria given as plain text: one paragraph per line, blank lines included. */
export function criteriaElements(text: string): Y.XmlElement[] {
  return splitLines(text).map((line) => element('paragraph', inlineContent(line)));
}

// ---- fragment → plain text -----------------------------------------------------------------------------

function textOf(node: Y.XmlText): string {
  return (node.toDelta() as Array<{ insert: unknown }>)
    .map((d) => (typeof d.insert === 'string' ? d.insert : ''))
    .join('');
}

/** The text of inline content: runs of text, a hard break as a new line. */
function inlineText(node: Y.XmlElement | Y.XmlFragment): string {
  return node
    .toArray()
    .map((child) => {
      if (child instanceof Y.XmlText) return textOf(child);
      if (child instanceof Y.XmlElement) return child.nodeName === 'hardBreak' ? '\n' : inlineText(child);
      return '';
    })
    .join('');
}

const elementsOf = (node: Y.XmlElement | Y.XmlFragment) =>
  node.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
const indentLines = (text: string, prefix: string) =>
  text.split('\n').map((l, i) => (i === 0 || l === '' ? l : `${prefix}${l}`));

function listItemText(item: Y.XmlElement, marker: string): string {
  const pad = ' '.repeat(marker.length);
  const parts = elementsOf(item)
    .map(blockText)
    .filter((t) => t !== null);
  if (parts.length === 0) return marker.trimEnd();
  const [first, ...rest] = parts;
  const lines = [`${marker}${indentLines(first, pad).join('\n')}`];
  for (const part of rest)
    lines.push(
      part
        .split('\n')
        .map((l) => (l === '' ? '' : `${pad}${l}`))
        .join('\n'),
    );
  return lines.join('\n');
}

/** One block as text, or null when it holds nothing (an empty paragraph, e.g. the editor's trailing one). */
function blockText(node: Y.XmlElement): string | null {
  switch (node.nodeName) {
    case 'paragraph': {
      const text = inlineText(node);
      return text.trim() === '' ? null : text;
    }
    case 'heading': {
      const text = inlineText(node);
      const level = Math.min(6, Math.max(1, Number(node.getAttribute('level')) || 1));
      return text.trim() === '' ? null : `${'#'.repeat(level)} ${text.replace(/\n/g, ' ')}`;
    }
    case 'bulletList': {
      const items = elementsOf(node).map((item) => listItemText(item, '- '));
      return items.length ? items.join('\n') : null;
    }
    case 'orderedList': {
      const start = Number(node.getAttribute('start') ?? 1) || 1;
      const items = elementsOf(node).map((item, k) => listItemText(item, `${start + k}. `));
      return items.length ? items.join('\n') : null;
    }
    case 'blockquote': {
      const inner = blocksText(node);
      return inner === ''
        ? null
        : inner
            .split('\n')
            .map((l) => (l === '' ? '>' : `> ${l}`))
            .join('\n');
    }
    case 'codeBlock': {
      const language = node.getAttribute('language');
      return `\`\`\`${typeof language === 'string' ? language : ''}\n${inlineText(node)}\n\`\`\``;
    }
    case 'horizontalRule':
      return '---';
    default: {
      const text = inlineText(node);
      return text.trim() === '' ? null : text;
    }
  }
}

function blocksText(node: Y.XmlElement | Y.XmlFragment): string {
  return elementsOf(node)
    .map(blockText)
    .filter((t) => t !== null)
    .join('\n\n');
}

/** The description's plain-text projection: blocks separated by a blank line, lists as "- " / "1. " lines. */
export function descriptionText(fragment: Y.XmlFragment): string {
  return blocksText(fragment);
}

/** The criteria's source: the text of each paragraph, one per line. */
export function criteriaText(fragment: Y.XmlFragment): string {
  return fragment
    .toArray()
    .map((child) =>
      child instanceof Y.XmlElement ? inlineText(child) : child instanceof Y.XmlText ? textOf(child) : '',
    )
    .join('\n');
}

/** What a description reads as once it has been through the live document: the form the projection writes. */
export function normalizeDescription(text: string): string {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(descriptionField);
  fragment.insert(0, descriptionElements(text));
  const normal = descriptionText(fragment);
  doc.destroy();
  return normal;
}

/** What criteria read as once they have been through the live document (only line endings change). */
export const normalizeCriteria = (text: string) => splitLines(text).join('\n');

// ---- the item's live document --------------------------------------------------------------------------

export function readItemText(doc: Y.Doc): ItemTexts {
  return {
    description: descriptionText(doc.getXmlFragment(descriptionField)),
    criteria: criteriaText(doc.getXmlFragment(criteriaField)),
  };
}

function replaceFragment(fragment: Y.XmlFragment, content: Y.XmlElement[]) {
  if (fragment.length > 0) fragment.delete(0, fragment.length);
  if (content.length > 0) fragment.insert(0, content);
}

/**
 * Replaces the given texts in the document (call inside a transaction), but only those whose text differs
 * from what the document already says: an unchanged text keeps its formatting and everyone's carets.
 * Returns the fields it replaced.
 */
export function replaceItemText(doc: Y.Doc, texts: Partial<ItemTexts>): Array<keyof ItemTexts> {
  const replaced: Array<keyof ItemTexts> = [];
  const current = readItemText(doc);
  if (texts.description !== undefined && normalizeDescription(texts.description) !== current.description) {
    replaceFragment(doc.getXmlFragment(descriptionField), descriptionElements(texts.description));
    replaced.push('description');
  }
  if (texts.criteria !== undefined && normalizeCriteria(texts.criteria) !== current.criteria) {
    replaceFragment(doc.getXmlFragment(criteriaField), criteriaElements(texts.criteria));
    replaced.push('criteria');
  }
  return replaced;
}

/** True for a document nothing was ever written to: no edit, no seed. */
export const neverEdited = (doc: Y.Doc) => doc.store.clients.size === 0;

/** FNV-1a, 32 bits: a stable number from a text. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The first content of a document never edited live, as a Yjs update (empty texts give an empty paragraph).
 * It is written by a client id derived from the texts, so two servers that seed the same item at once (several
 * processes behind Redis) produce the very same update, which Yjs applies once instead of doubling the text.
 */
export function itemTextSeed(texts: ItemTexts): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = hash(`${texts.description}\u0000${texts.criteria}`);
  doc.transact(() => {
    replaceFragment(doc.getXmlFragment(descriptionField), descriptionElements(texts.description));
    replaceFragment(doc.getXmlFragment(criteriaField), criteriaElements(texts.criteria));
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The fields of an item's live document, each a fragment an editor binds to. */
export const itemTextFields = [descriptionField, criteriaField] as const;

/**
 * The update that gives every empty text field of `doc` its one empty paragraph, or null when none is empty.
 *
 * An editor bound to an empty fragment creates the first paragraph itself, on the first key pressed: two people
 * who start typing into the same empty field at once each create one, and the binding interleaves their texts.
 * With the paragraph already in the document, both type into the one text run it holds.
 *
 * Deterministic, like the seed: its client id comes from the document's name and its state vector, so two
 * servers that load the same document in the same state (several copies behind Redis) make the very same
 * update, which Yjs applies once. Two different states give different client ids, never one id reused for two
 * different changes.
 */
export function emptyFieldsBlockUpdate(documentName: string, doc: Y.Doc): Uint8Array | null {
  const empty = itemTextFields.filter((field) => doc.getXmlFragment(field).length === 0);
  if (empty.length === 0) return null;
  const stateVector = Y.encodeStateVector(doc);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  copy.clientID = hash(`${documentName}\u0000${Array.from(stateVector).join(',')}`);
  copy.transact(() => {
    for (const field of empty)
      copy.getXmlFragment(field).insert(0, [element('paragraph', inlineContent(''))]);
  });
  const update = Y.encodeStateAsUpdate(copy, stateVector);
  copy.destroy();
  return update;
}
