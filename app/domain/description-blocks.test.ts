import { describe, expect, it } from 'vitest';
import { codeFence, descriptionBlocksText, normalDescriptionText } from './description-blocks';
import { descriptionFixtures } from './description-fixtures';
import { normalizeDescription, parseDescription } from './item-text';

describe('descriptionBlocksText', () => {
  it('prints blocks exactly as the live document projection does', () => {
    for (const text of descriptionFixtures) {
      expect(descriptionBlocksText(parseDescription(text)), JSON.stringify(text)).toBe(
        normalizeDescription(text),
      );
    }
  });

  it('is stable: printing, parsing and printing again gives the same text', () => {
    for (const text of descriptionFixtures) {
      const once = normalDescriptionText(text);
      expect(normalDescriptionText(once), JSON.stringify(text)).toBe(once);
    }
  });

  it('prints blocks that the parser never makes but other formats do', () => {
    expect(
      descriptionBlocksText([
        { type: 'heading', level: 9, text: 'deep\nheading' },
        { type: 'paragraph', text: '   ' },
        { type: 'bulletList', items: [] },
        { type: 'orderedList', start: 3, items: [[], [{ type: 'codeBlock', language: 'ts', text: 'x' }]] },
        { type: 'blockquote', blocks: [] },
        { type: 'codeBlock', language: null, text: '' },
      ]),
    ).toBe('###### deep heading\n\n3.\n4. ```ts\n   x\n   ```\n\n```\n\n```');
  });

  it('fences code holding a fence with a longer fence, so it reads back as one block', () => {
    const code = 'Given a doc string\n  ```\n  inside\n  ```';
    expect(codeFence(code)).toBe('````');
    const text = descriptionBlocksText([{ type: 'codeBlock', language: 'gherkin', text: code }]);
    expect(text).toBe(`\`\`\`\`gherkin\n${code}\n\`\`\`\``);
    expect(parseDescription(text)).toEqual([{ type: 'codeBlock', language: 'gherkin', text: code }]);
  });
});
