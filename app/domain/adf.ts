/**
 * Atlassian Document Format (Jira Cloud's REST v3 rich text) ↔ an item's text. Issue 16.
 *
 * - Description: ADF ↔ the description's plain-text form (item-text.ts), through its block model. Marks are
 *   dropped (the text form has none); nodes the text form has no block for keep their text.
 * - Criteria: ADF ↔ Gherkin source, one line per paragraph (the criteria editor's own model), so lines and
 *   indentation come back exactly.
 */
import { descriptionBlocksText, normalDescriptionText } from './description-blocks';
import { type DescriptionBlock, parseDescription } from './item-text';

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}

// ---- ADF → text ----------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const childrenOf = (node: Json): unknown[] => (Array.isArray(node.content) ? node.content : []);
const attrsOf = (node: Json): Json => (isRecord(node.attrs) ? node.attrs : {});
const typeOf = (node: Json) => (typeof node.type === 'string' ? node.type : '');
const stringOf = (value: unknown) => (typeof value === 'string' ? value : null);

/** Deeper than this, a document is not one a person wrote: stop there rather than recurse without end. */
const maxDepth = 64;

const inlineTypes = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'inlineCard',
  'status',
  'date',
  'placeholder',
  'mediaInline',
  'inlineExtension',
]);

const blockTypes = new Set([
  'doc',
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'taskList',
  'decisionList',
  'listItem',
  'taskItem',
  'decisionItem',
  'blockquote',
  'codeBlock',
  'rule',
  'panel',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'media',
  'mediaSingle',
  'mediaGroup',
  'blockCard',
  'embedCard',
  'expand',
  'nestedExpand',
]);

/** A node read as inline content: a known inline type, or an unknown node carrying text and no content. */
const isInline = (node: Json) =>
  inlineTypes.has(typeOf(node)) ||
  (!blockTypes.has(typeOf(node)) && typeof node.text === 'string' && !Array.isArray(node.content));

function dateText(timestamp: unknown): string {
  const ms = Number(timestamp);
  if (!Number.isFinite(ms)) return '';
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

function cardUrl(attrs: Json): string {
  const data = isRecord(attrs.data) ? attrs.data : {};
  return stringOf(attrs.url) ?? stringOf(data.url) ?? '';
}

function inlineText(nodes: unknown[], depth: number): string {
  if (depth > maxDepth) return '';
  let text = '';
  for (const node of nodes) if (isRecord(node)) text += inlineNodeText(node, depth);
  return text;
}

function inlineNodeText(node: Json, depth: number): string {
  const attrs = attrsOf(node);
  switch (typeOf(node)) {
    case 'text':
      return stringOf(node.text) ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention': {
      const id = stringOf(attrs.id);
      return stringOf(attrs.text) ?? (id ? `@${id}` : '');
    }
    case 'emoji':
      return stringOf(attrs.text) ?? stringOf(attrs.shortName) ?? '';
    case 'inlineCard':
      return cardUrl(attrs);
    case 'status':
      return stringOf(attrs.text) ?? '';
    case 'date':
      return dateText(attrs.timestamp);
    case 'placeholder':
    case 'mediaInline':
      return '';
    default:
      return stringOf(node.text) ?? inlineText(childrenOf(node), depth + 1);
  }
}

/** Block nodes as blocks; a run of inline nodes among them (malformed, but seen) becomes a paragraph. */
function blocksOf(nodes: unknown[], depth: number): DescriptionBlock[] {
  if (depth > maxDepth) return [];
  const blocks: DescriptionBlock[] = [];
  let run = '';
  const flush = () => {
    if (run !== '') blocks.push({ type: 'paragraph', text: run });
    run = '';
  };
  for (const node of nodes) {
    if (!isRecord(node)) continue;
    if (isInline(node)) {
      run += inlineNodeText(node, depth + 1);
      continue;
    }
    flush();
    blocks.push(...blockNodeBlocks(node, depth + 1));
  }
  flush();
  return blocks;
}

const listItems = (node: Json, depth: number): DescriptionBlock[][] =>
  childrenOf(node)
    .filter(isRecord)
    .map((item) =>
      ['listItem', 'taskItem', 'decisionItem'].includes(typeOf(item))
        ? blocksOf(childrenOf(item), depth + 1)
        : blocksOf([item], depth + 1),
    );

/** A table as one paragraph: a line per row, its cells' text joined by " | ". */
function tableText(node: Json, depth: number): string {
  const rows = childrenOf(node)
    .filter(isRecord)
    .map((row) =>
      childrenOf(row)
        .filter(isRecord)
        .map((cell) => descriptionBlocksText(blocksOf(childrenOf(cell), depth + 2)).replace(/\s*\n\s*/g, ' '))
        .join(' | '),
    )
    .filter((line) => line.trim() !== '');
  return rows.join('\n');
}

function blockNodeBlocks(node: Json, depth: number): DescriptionBlock[] {
  const attrs = attrsOf(node);
  const children = childrenOf(node);
  switch (typeOf(node)) {
    case 'paragraph':
      return [{ type: 'paragraph', text: inlineText(children, depth) }];
    case 'heading':
      return [
        {
          type: 'heading',
          level: Math.min(6, Math.max(1, Math.trunc(Number(attrs.level)) || 1)),
          text: inlineText(children, depth),
        },
      ];
    case 'bulletList':
    case 'taskList':
    case 'decisionList':
      return [{ type: 'bulletList', items: listItems(node, depth) }];
    case 'orderedList': {
      const order = Number(attrs.order);
      const start = Number.isInteger(order) && order >= 0 ? order : 1;
      return [{ type: 'orderedList', start, items: listItems(node, depth) }];
    }
    case 'blockquote':
      return [{ type: 'blockquote', blocks: blocksOf(children, depth) }];
    case 'codeBlock':
      return [
        { type: 'codeBlock', language: stringOf(attrs.language) || null, text: inlineText(children, depth) },
      ];
    case 'rule':
      return [{ type: 'horizontalRule' }];
    case 'table': {
      const text = tableText(node, depth);
      return text ? [{ type: 'paragraph', text }] : [];
    }
    case 'media':
    case 'mediaSingle':
    case 'mediaGroup':
      return [];
    case 'blockCard':
    case 'embedCard': {
      const url = cardUrl(attrs);
      return url ? [{ type: 'paragraph', text: url }] : [];
    }
    default:
      // panel, expand, layouts, extensions and node types newer than this code: their content, or their text.
      if (children.length === 0 && typeof node.text === 'string')
        return [{ type: 'paragraph', text: node.text }];
      return blocksOf(children, depth);
  }
}

/**
 * An ADF document as the description's text, in the form Refinery stores (item-text's normalizeDescription of
 * it). Marks are dropped; mentions, emoji, cards, statuses and dates become their text (or url); a panel or
 * expand becomes its content; a table becomes a line per row with its cells joined by " | "; media is left out;
 * an unknown node keeps its text. Never throws: a malformed document gives what can be read of it (nothing for
 * null, a number or an array). A string is taken as text already.
 */
export function adfToText(doc: unknown): string {
  if (typeof doc === 'string') return normalDescriptionText(doc);
  if (!isRecord(doc)) return '';
  const blocks = typeOf(doc) === 'doc' ? blocksOf(childrenOf(doc), 0) : blocksOf([doc], 0);
  return normalDescriptionText(descriptionBlocksText(blocks));
}

// ---- text → ADF ----------------------------------------------------------------------------------------

/** Text with line breaks as ADF inline content: text nodes (never empty: ADF refuses those) and hardBreaks. */
function inlineNodes(text: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  text.split('\n').forEach((part, index) => {
    if (index > 0) nodes.push({ type: 'hardBreak' });
    if (part) nodes.push({ type: 'text', text: part });
  });
  return nodes;
}

/** Where a block sits: ADF allows fewer block kinds inside a list item or a quote than at the top. */
type Place = 'top' | 'listItem' | 'blockquote';

const allowedIn: Record<Exclude<Place, 'top'>, Set<DescriptionBlock['type']>> = {
  listItem: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
  blockquote: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
};

const paragraph = (text: string): AdfNode => ({ type: 'paragraph', content: inlineNodes(text) });

function listItem(blocks: DescriptionBlock[]): AdfNode {
  const content = blocks.map((block) => blockNode(block, 'listItem'));
  // ADF wants a list item to start with a paragraph (or code block).
  if (content.length === 0 || !['paragraph', 'codeBlock'].includes(content[0].type))
    content.unshift(paragraph(''));
  return { type: 'listItem', content };
}

function blockNode(block: DescriptionBlock, place: Place): AdfNode {
  // A block ADF does not allow here becomes a paragraph holding its text form, which reads back as that block.
  if (place !== 'top' && !allowedIn[place].has(block.type)) return paragraph(descriptionBlocksText([block]));
  switch (block.type) {
    case 'paragraph':
      return paragraph(block.text);
    case 'heading':
      return {
        type: 'heading',
        attrs: { level: Math.min(6, Math.max(1, block.level)) },
        content: inlineNodes(block.text),
      };
    case 'bulletList':
      return { type: 'bulletList', content: block.items.map(listItem) };
    case 'orderedList':
      return { type: 'orderedList', attrs: { order: block.start }, content: block.items.map(listItem) };
    case 'blockquote': {
      const content = block.blocks.map((inner) => blockNode(inner, 'blockquote'));
      return { type: 'blockquote', content: content.length ? content : [paragraph('')] };
    }
    case 'codeBlock':
      return {
        type: 'codeBlock',
        ...(block.language ? { attrs: { language: block.language } } : {}),
        content: block.text ? [{ type: 'text', text: block.text }] : [],
      };
    case 'horizontalRule':
      return { type: 'rule' };
  }
}

/**
 * The description's text as an ADF document (every block kind of item-text's parser → its ADF node; a block ADF
 * does not allow inside a list item or a quote, e.g. a heading, becomes a paragraph with its text form). An empty
 * text gives a document with no content, which Jira accepts. `adfToText(textToAdf(t))` is normalizeDescription(t).
 */
export function textToAdf(text: string): AdfDoc {
  return { version: 1, type: 'doc', content: parseDescription(text).map((block) => blockNode(block, 'top')) };
}

// ---- criteria ------------------------------------------------------------------------------------------

function criteriaLines(nodes: unknown[], depth: number): string[] {
  if (depth > maxDepth) return [];
  const lines: string[] = [];
  for (const node of nodes) {
    if (!isRecord(node)) continue;
    const type = typeOf(node);
    if (type === 'paragraph' || type === 'heading' || type === 'codeBlock' || isInline(node)) {
      const text = isInline(node) ? inlineNodeText(node, depth + 1) : inlineText(childrenOf(node), depth + 1);
      lines.push(...text.split('\n'));
    } else if (['bulletList', 'orderedList', 'table', 'rule'].includes(type)) {
      const text = descriptionBlocksText(blockNodeBlocks(node, depth + 1));
      if (text) lines.push(...text.split('\n'));
    } else {
      lines.push(...criteriaLines(childrenOf(node), depth + 1));
    }
  }
  return lines;
}

/**
 * Criteria held in an ADF field, as Gherkin source: a line per paragraph (a hard break starts a new line, an
 * empty paragraph is a blank line), a code block's text as it is, other blocks as their text form. Never throws;
 * null (an empty field) gives ''.
 */
export function adfToCriteria(doc: unknown): string {
  if (typeof doc === 'string') return doc.split(/\r\n|\r|\n/).join('\n');
  if (!isRecord(doc)) return '';
  return criteriaLines(typeOf(doc) === 'doc' ? childrenOf(doc) : [doc], 0).join('\n');
}

/**
 * Gherkin source as an ADF document for a rich-text criteria field: one paragraph per line, the criteria
 * editor's own model, so `adfToCriteria(criteriaToAdf(s))` is s (line endings made "\n"). Empty text → no content.
 */
export function criteriaToAdf(source: string): AdfDoc {
  if (source === '') return { version: 1, type: 'doc', content: [] };
  return {
    version: 1,
    type: 'doc',
    content: source.split(/\r\n|\r|\n/).map((line) => paragraph(line)),
  };
}
