import { describe, expect, it } from 'vitest';
import { type AdfDoc, type AdfMark, adfToCriteria, adfToText, criteriaToAdf, textToAdf } from './adf';
import { descriptionFixtures } from './description-fixtures';
import { normalizeDescription } from './item-text';

const doc = (...content: unknown[]) => ({ version: 1, type: 'doc', content });
const p = (...content: unknown[]) => ({ type: 'paragraph', content });
const t = (text: string, marks?: AdfMark[]) =>
  marks ? { type: 'text', text, marks } : { type: 'text', text };
const item = (...content: unknown[]) => ({ type: 'listItem', content });

describe('adfToText', () => {
  it('reads every block kind of the text form', () => {
    const adf = doc(
      { type: 'heading', attrs: { level: 2 }, content: [t('Context')] },
      p(t('As a '), t('patient', [{ type: 'strong' }]), { type: 'hardBreak' }, t('I want to book')),
      {
        type: 'bulletList',
        content: [
          item(p(t('one'))),
          item(p(t('two')), { type: 'bulletList', content: [item(p(t('deep')))] }),
        ],
      },
      { type: 'orderedList', attrs: { order: 3 }, content: [item(p(t('three'))), item(p(t('four')))] },
      { type: 'blockquote', content: [p(t('quoted'))] },
      { type: 'codeBlock', attrs: { language: 'ts' }, content: [t('const a = 1;\nconst b = 2;')] },
      { type: 'rule' },
      p(t('end')),
    );
    expect(adfToText(adf)).toBe(
      [
        '## Context',
        '',
        'As a patient',
        'I want to book',
        '',
        '- one',
        '- two',
        '  - deep',
        '',
        '3. three',
        '4. four',
        '',
        '> quoted',
        '',
        '```ts',
        'const a = 1;',
        'const b = 2;',
        '```',
        '',
        '---',
        '',
        'end',
      ].join('\n'),
    );
  });

  it('drops marks, keeping the text of code, links and colour', () => {
    const adf = doc(
      p(
        t('Call '),
        t('book()', [{ type: 'code' }]),
        t(' see '),
        t('the docs', [{ type: 'link', attrs: { href: 'https://example.com' } }]),
        t(' now', [{ type: 'textColor', attrs: { color: '#ff0000' } }, { type: 'em' }]),
      ),
    );
    expect(adfToText(adf)).toBe('Call book() see the docs now');
  });

  it('reads mentions, emoji, cards, statuses and dates as their text', () => {
    const adf = doc(
      p(
        { type: 'mention', attrs: { id: '5b10a', text: '@Ada Lovelace' } },
        t(' '),
        { type: 'mention', attrs: { id: '5b10b' } },
        t(' '),
        { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } },
        { type: 'emoji', attrs: { shortName: ':wave:' } },
        t(' '),
        { type: 'inlineCard', attrs: { url: 'https://example.atlassian.net/browse/PROJ-1' } },
        t(' '),
        { type: 'status', attrs: { text: 'IN REVIEW', color: 'blue' } },
        t(' '),
        { type: 'date', attrs: { timestamp: '1714521600000' } },
      ),
      { type: 'blockCard', attrs: { url: 'https://example.com/spec' } },
    );
    expect(adfToText(adf)).toBe(
      '@Ada Lovelace @5b10b 😄:wave: https://example.atlassian.net/browse/PROJ-1 IN REVIEW 2024-05-01\n\nhttps://example.com/spec',
    );
  });

  it('reads a panel as its content, a table as " | " rows, and leaves media out', () => {
    const cell = (type: string, text: string) => ({ type, content: [p(t(text))] });
    const adf = doc(
      {
        type: 'panel',
        attrs: { panelType: 'info' },
        content: [p(t('Heads up')), { type: 'bulletList', content: [item(p(t('x')))] }],
      },
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', 'Role'), cell('tableHeader', 'Can')] },
          {
            type: 'tableRow',
            content: [
              cell('tableCell', 'PO'),
              { type: 'tableCell', content: [p(t('order')), p(t('accept'))] },
            ],
          },
        ],
      },
      {
        type: 'mediaSingle',
        content: [{ type: 'media', attrs: { id: 'abc', type: 'file', collection: '' } }],
      },
      { type: 'mediaGroup', content: [{ type: 'media', attrs: { id: 'def', type: 'file' } }] },
      { type: 'expand', attrs: { title: 'More' }, content: [p(t('hidden detail'))] },
    );
    expect(adfToText(adf)).toBe('Heads up\n\n- x\n\nRole | Can\nPO | order accept\n\nhidden detail');
  });

  it('keeps the text of node types it does not know, block or inline', () => {
    const adf = doc(
      {
        type: 'layoutSection',
        content: [
          { type: 'layoutColumn', content: [p(t('left'))] },
          { type: 'layoutColumn', content: [p(t('right'))] },
        ],
      },
      p(t('a '), { type: 'fancyInline', text: 'shiny' }, t(' b')),
      { type: 'futureBlock', content: [t('loose inline text')] },
      {
        type: 'taskList',
        content: [{ type: 'taskItem', attrs: { state: 'DONE' }, content: [t('task one')] }],
      },
    );
    expect(adfToText(adf)).toBe('left\n\nright\n\na shiny b\n\nloose inline text\n\n- task one');
  });

  it('never throws on malformed input, returning what it can read', () => {
    const malformed: unknown[] = [
      null,
      undefined,
      42,
      [],
      'plain  text\r\nline',
      {},
      { type: 'doc' },
      { type: 'doc', content: 'nope' },
      {
        type: 'doc',
        content: [
          null,
          1,
          'x',
          { content: [t('no type')] },
          { type: 'paragraph', content: [{ type: 'text' }] },
        ],
      },
      { type: 'doc', content: [{ type: 'heading', attrs: { level: 'huge' }, content: [t('h')] }] },
      { type: 'doc', content: [{ type: 'orderedList', attrs: { order: -4 }, content: [item(p(t('o')))] }] },
      { type: 'doc', content: [{ type: 'bulletList', content: [null, t('loose item')] }] },
      {
        type: 'doc',
        content: [p({ type: 'date', attrs: { timestamp: 'soon' } }, { type: 'mention', attrs: 7 })],
      },
      p(t('a paragraph without a doc')),
    ];
    const results = malformed.map((input) => adfToText(input));
    expect(results).toEqual([
      '',
      '',
      '',
      '',
      'plain  text\nline',
      '',
      '',
      '',
      'no type',
      '# h',
      '1. o',
      '- loose item',
      '',
      'a paragraph without a doc',
    ]);
  });

  it('survives a document nested deeper than any person writes', () => {
    let node: unknown = p(t('bottom'));
    for (let i = 0; i < 5000; i++) node = { type: 'blockquote', content: [node] };
    expect(() => adfToText(doc(node, p(t('after'))))).not.toThrow();
    expect(adfToText(doc(node, p(t('after'))))).toMatch(/after$/);
  });
});

describe('textToAdf', () => {
  it('makes a doc with each block kind as its ADF node', () => {
    expect(
      textToAdf('## Title\n\nline one\nline two\n\n- a\n  - b\n\n5. five\n\n> q\n\n```js\nx()\n```\n\n---'),
    ).toEqual({
      version: 1,
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [t('Title')] },
        { type: 'paragraph', content: [t('line one'), { type: 'hardBreak' }, t('line two')] },
        {
          type: 'bulletList',
          content: [
            {
              type: 'listItem',
              content: [
                { type: 'paragraph', content: [t('a')] },
                {
                  type: 'bulletList',
                  content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [t('b')] }] }],
                },
              ],
            },
          ],
        },
        {
          type: 'orderedList',
          attrs: { order: 5 },
          content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [t('five')] }] }],
        },
        { type: 'blockquote', content: [{ type: 'paragraph', content: [t('q')] }] },
        { type: 'codeBlock', attrs: { language: 'js' }, content: [t('x()')] },
        { type: 'rule' },
      ],
    } satisfies AdfDoc);
  });

  it('gives an empty text a doc with no content, and never writes an empty text node', () => {
    expect(textToAdf('')).toEqual({ version: 1, type: 'doc', content: [] });
    expect(textToAdf('  \n\n')).toEqual({ version: 1, type: 'doc', content: [] });
    expect(textToAdf('- \n\n```\n```')).toEqual({
      version: 1,
      type: 'doc',
      content: [
        {
          type: 'bulletList',
          content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [] }] }],
        },
        { type: 'codeBlock', content: [] },
      ],
    });
    const texts = JSON.stringify(descriptionFixtures.map(textToAdf));
    expect(texts).not.toContain('"text":""');
  });

  it('writes a block ADF does not allow inside a list item or a quote as a paragraph of its text', () => {
    const adf = textToAdf('> # heading in a quote\n> ---');
    expect(adf.content).toEqual([
      {
        type: 'blockquote',
        content: [
          { type: 'paragraph', content: [t('# heading in a quote')] },
          { type: 'paragraph', content: [t('---')] },
        ],
      },
    ]);
  });

  it('round-trips: adfToText(textToAdf(text)) is the normalised text', () => {
    for (const text of descriptionFixtures) {
      expect(adfToText(textToAdf(text)), JSON.stringify(text)).toBe(normalizeDescription(text));
    }
  });

  it('round-trips the text of a Jira document: textToAdf(adfToText(doc)) reads as the same text', () => {
    const adf = doc(
      { type: 'heading', attrs: { level: 3 }, content: [t('Notes')] },
      p(t('bold', [{ type: 'strong' }]), t(' and plain')),
      { type: 'panel', content: [p(t('panel text'))] },
    );
    const text = adfToText(adf);
    expect(adfToText(textToAdf(text))).toBe(text);
  });
});

describe('criteria in an ADF field', () => {
  const source =
    '@smoke\nScenario: Book\n  Given a free slot\n\n  When I book it\n  Then it is mine\n  | a | b |\n# a comment';

  it('writes one paragraph per line and reads it back exactly', () => {
    const adf = criteriaToAdf(source);
    expect(adf.content).toHaveLength(8);
    expect(adf.content[3]).toEqual({ type: 'paragraph', content: [] });
    expect(adfToCriteria(adf)).toBe(source);
    expect(adfToCriteria(criteriaToAdf(''))).toBe('');
    expect(adfToCriteria(criteriaToAdf('a\r\nb'))).toBe('a\nb');
  });

  it('reads hard breaks, a code block and lists the way a person would have typed them in Jira', () => {
    const adf = doc(
      p(t('Scenario: one'), { type: 'hardBreak' }, t('  Given x')),
      { type: 'codeBlock', attrs: { language: 'gherkin' }, content: [t('Scenario: two\n  Given y')] },
      { type: 'bulletList', content: [item(p(t('Then z')))] },
      { type: 'panel', content: [p(t('Then w'))] },
    );
    expect(adfToCriteria(adf)).toBe('Scenario: one\n  Given x\nScenario: two\n  Given y\n- Then z\nThen w');
  });

  it('never throws on malformed input', () => {
    expect(adfToCriteria(null)).toBe('');
    expect(adfToCriteria(3)).toBe('');
    expect(adfToCriteria('plain\r\ntext')).toBe('plain\ntext');
    expect(adfToCriteria({ type: 'doc', content: [null, { type: 'paragraph', content: 'x' }] })).toBe('');
  });
});
