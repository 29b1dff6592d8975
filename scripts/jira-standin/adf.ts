/**
 * The stand-in's own minimal Atlassian Document Format needs: check that a v3 body is an ADF document, and turn
 * wiki text (what v2 and the admin API speak) into ADF and back. Paragraphs, headings, lists, code blocks and the
 * common marks survive the trip; anything richer is kept as its text.
 */

export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  attrs?: Record<string, unknown>;
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

function isNode(value: unknown, depth: number): value is AdfNode {
  if (depth > 64 || typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const node = value as Record<string, unknown>;
  if (typeof node.type !== 'string') return false;
  if (node.text !== undefined && typeof node.text !== 'string') return false;
  if (node.marks !== undefined && !Array.isArray(node.marks)) return false;
  if (node.content === undefined) return true;
  return Array.isArray(node.content) && node.content.every((child) => isNode(child, depth + 1));
}

/** Whether a value is an ADF document as Jira accepts one: `{type:"doc", version:1, content:[...]}`. */
export function isAdfDoc(value: unknown): value is AdfDoc {
  if (!isNode(value, 0)) return false;
  const doc = value as unknown as Record<string, unknown>;
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content);
}

const textNode = (text: string): AdfNode => ({ type: 'text', text });

function paragraph(lines: string[]): AdfNode {
  const content: AdfNode[] = [];
  lines.forEach((line, index) => {
    if (index > 0) content.push({ type: 'hardBreak' });
    if (line !== '') content.push(textNode(line));
  });
  return { type: 'paragraph', content };
}

/** Wiki text → ADF: `h1.`–`h6.` headings, `*`/`-` and `#` lists, `{code}` blocks, paragraphs between blank lines. */
export function wikiToAdf(wiki: string): AdfDoc {
  const lines = wiki.replace(/\r\n?/g, '\n').split('\n');
  const content: AdfNode[] = [];
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length > 0) content.push(paragraph(buffer));
    buffer = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^h([1-6])\.\s+(.*)$/.exec(line);
    const item = /^([*#-])\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flush();
    } else if (heading) {
      flush();
      content.push({
        type: 'heading',
        attrs: { level: Number(heading[1]) },
        content: [textNode(heading[2])],
      });
    } else if (line.trim().startsWith('{code')) {
      flush();
      const code: string[] = [];
      i++;
      while (i < lines.length && lines[i].trim() !== '{code}') code.push(lines[i++]);
      content.push({ type: 'codeBlock', content: code.length ? [textNode(code.join('\n'))] : [] });
    } else if (item) {
      flush();
      const ordered = item[1] === '#';
      const items: AdfNode[] = [];
      while (i < lines.length) {
        const next = /^([*#-])\s+(.*)$/.exec(lines[i]);
        if (!next || (next[1] === '#') !== ordered) break;
        items.push({ type: 'listItem', content: [paragraph([next[2]])] });
        i++;
      }
      i--;
      content.push({ type: ordered ? 'orderedList' : 'bulletList', content: items });
    } else {
      buffer.push(line);
    }
  }
  flush();
  return { type: 'doc', version: 1, content };
}

function inlineToWiki(nodes: AdfNode[] | undefined): string {
  return (nodes ?? [])
    .map((node) => {
      if (node.type === 'hardBreak') return '\n';
      if (node.type === 'mention') return `[~accountid:${String(node.attrs?.id ?? '')}]`;
      if (node.type === 'emoji') return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
      if (node.type !== 'text') return inlineToWiki(node.content);
      let text = node.text ?? '';
      for (const mark of node.marks ?? []) {
        if (mark.type === 'strong') text = `*${text}*`;
        else if (mark.type === 'em') text = `_${text}_`;
        else if (mark.type === 'code') text = `{{${text}}}`;
        else if (mark.type === 'strike') text = `-${text}-`;
        else if (mark.type === 'link') text = `[${text}|${String(mark.attrs?.href ?? '')}]`;
      }
      return text;
    })
    .join('');
}

function blockToWiki(node: AdfNode, depth: number): string {
  switch (node.type) {
    case 'paragraph':
      return inlineToWiki(node.content);
    case 'heading':
      return `h${Number(node.attrs?.level ?? 1)}. ${inlineToWiki(node.content)}`;
    case 'codeBlock':
      return `{code}\n${inlineToWiki(node.content)}\n{code}`;
    case 'bulletList':
    case 'orderedList': {
      const bullet = (node.type === 'bulletList' ? '*' : '#').repeat(depth + 1);
      return (node.content ?? [])
        .map((item) =>
          (item.content ?? [])
            .map((child) =>
              child.type === 'bulletList' || child.type === 'orderedList'
                ? blockToWiki(child, depth + 1)
                : `${bullet} ${blockToWiki(child, depth)}`,
            )
            .join('\n'),
        )
        .join('\n');
    }
    case 'rule':
      return '----';
    default:
      return node.content
        ? node.content.map((child) => blockToWiki(child, depth)).join('\n\n')
        : inlineToWiki([node]);
  }
}

/** ADF → wiki text, paragraphs separated by a blank line. */
export function adfToWiki(doc: AdfDoc): string {
  return doc.content.map((node) => blockToWiki(node, 0)).join('\n\n');
}

/** Text kept by the stand-in: either the wiki text a v2 client or the admin API wrote, or the ADF a v3 client did. */
export type RichText = { format: 'wiki'; text: string } | { format: 'adf'; doc: AdfDoc };

export const asWiki = (value: RichText): string =>
  value.format === 'wiki' ? value.text : adfToWiki(value.doc);
export const asAdf = (value: RichText): AdfDoc =>
  value.format === 'adf' ? value.doc : wikiToAdf(value.text);
