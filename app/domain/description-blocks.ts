/**
 * The description's block model (item-text.ts's DescriptionBlock) written back as its plain text, without going
 * through a live document: the same form item-text's projection writes ("# " headings, "- " and "1. " list
 * lines, "> " quotes, fenced code, blocks separated by a blank line). Converters from other formats (ADF, Jira
 * wiki markup) build blocks and print them here, so their text is the text Refinery stores.
 *
 * One deliberate difference: a code block whose text has a line starting with ``` gets a longer fence, so it
 * reads back as one code block (the projection always writes three backticks there, which reads back broken).
 */
import { type DescriptionBlock, parseDescription } from './item-text';

const longestFenceRun = (text: string) =>
  Math.max(0, ...text.split('\n').map((line) => /^\s*(`*)/.exec(line)![1].length));

/** A code fence that no line of `text` closes early: three backticks, or one more than the longest run. */
export const codeFence = (text: string) => '`'.repeat(Math.max(3, longestFenceRun(text) + 1));

function listItemText(item: DescriptionBlock[], marker: string): string {
  const pad = ' '.repeat(marker.length);
  const parts = item.map(blockText).filter((t) => t !== null);
  if (parts.length === 0) return marker.trimEnd();
  const [first, ...rest] = parts;
  const lines = [
    marker +
      first
        .split('\n')
        .map((l, i) => (i === 0 || l === '' ? l : `${pad}${l}`))
        .join('\n'),
  ];
  for (const part of rest)
    lines.push(
      part
        .split('\n')
        .map((l) => (l === '' ? '' : `${pad}${l}`))
        .join('\n'),
    );
  return lines.join('\n');
}

/** One block as text, or null when it holds nothing (as the projection leaves out an empty paragraph). */
function blockText(block: DescriptionBlock): string | null {
  switch (block.type) {
    case 'paragraph':
      return block.text.trim() === '' ? null : block.text;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Math.trunc(block.level) || 1));
      return block.text.trim() === '' ? null : `${'#'.repeat(level)} ${block.text.replace(/\n/g, ' ')}`;
    }
    case 'bulletList':
      return block.items.length ? block.items.map((item) => listItemText(item, '- ')).join('\n') : null;
    case 'orderedList': {
      const start = block.start || 1;
      return block.items.length
        ? block.items.map((item, k) => listItemText(item, `${start + k}. `)).join('\n')
        : null;
    }
    case 'blockquote': {
      const inner = descriptionBlocksText(block.blocks);
      return inner === ''
        ? null
        : inner
            .split('\n')
            .map((l) => (l === '' ? '>' : `> ${l}`))
            .join('\n');
    }
    case 'codeBlock': {
      const fence = codeFence(block.text);
      return `${fence}${block.language ?? ''}\n${block.text}\n${fence}`;
    }
    case 'horizontalRule':
      return '---';
  }
}

/** Blocks as the description's plain text: each block's text, separated by a blank line; empty blocks left out. */
export function descriptionBlocksText(blocks: DescriptionBlock[]): string {
  return blocks
    .map(blockText)
    .filter((t) => t !== null)
    .join('\n\n');
}

/**
 * The text as Refinery would store it (parsed into blocks and printed again): what item-text's
 * normalizeDescription gives, without building a live document.
 */
export const normalDescriptionText = (text: string) => descriptionBlocksText(parseDescription(text));
