import { describe, expect, it } from 'vitest';
import { normalizeDescription } from './item-text';
import { textToWiki, wikiInlineText, wikiToText } from './jira-wiki';

describe('wikiToText', () => {
  it('reads headings, lists, code, quotes and rules into the text form', () => {
    const wiki = [
      'h2. Context',
      '',
      'As a *patient*',
      'I want to _book_ online',
      '',
      '* one',
      '* two',
      '** deep',
      '*# deep numbered',
      '- dash bullet',
      '',
      '# first',
      '# second',
      '',
      '{code:java}',
      'int a = 1;',
      '',
      '  indented();',
      '{code}',
      '',
      'bq. A wise remark',
      '',
      '----',
      'end',
    ].join('\n');
    expect(wikiToText(wiki)).toBe(
      [
        '## Context',
        '',
        'As a patient',
        'I want to book online',
        '',
        '- one',
        '- two',
        '  - deep',
        '  1. deep numbered',
        '- dash bullet',
        '',
        '1. first',
        '2. second',
        '',
        '```java',
        'int a = 1;',
        '',
        '  indented();',
        '```',
        '',
        '> A wise remark',
        '',
        '---',
        '',
        'end',
      ].join('\n'),
    );
  });

  it('drops effects and macros, reads links as their text, and leaves images out', () => {
    expect(
      wikiInlineText(
        '*bold* _em_ {{mono}} -gone- +ins+ ^sup^ ~sub~ ??cite?? {color:red}red{color} [the docs|https://x.y] [https://a.b] [~ada] !screen.png! !pic.jpg|thumbnail!',
      ),
    ).toBe('bold em mono gone ins sup sub cite red the docs https://a.b @ada  ');
  });

  it('leaves markup characters that open or close nothing as they are', () => {
    expect(wikiInlineText('snake_case_name, 2*3*4, well-known, a - b, Hi! and [unclosed, {notamacro}')).toBe(
      'snake_case_name, 2*3*4, well-known, a - b, Hi! and [unclosed, {notamacro}',
    );
  });

  it('reads escapes and forced line breaks', () => {
    expect(wikiInlineText('\\*not bold\\* line\\\\break C:\\Users &#92;*')).toBe(
      '*not bold* line\nbreak C:\\Users \\*',
    );
  });

  it('reads {quote}, {noformat}, panels and tables', () => {
    const wiki = [
      '{quote}',
      'first',
      '',
      '* listed',
      '{quote}',
      '{noformat}raw *text*{noformat}',
      '{panel:title=Note}',
      'inside the panel',
      '{panel}',
      '||Role||Can||',
      '|PO|*order*|',
      '{code:title=Book.java|language=java}x(){code}',
    ].join('\n');
    expect(wikiToText(wiki)).toBe(
      '> first\n>\n> - listed\n\n```\nraw *text*\n```\n\ninside the panel\n\nRole | Can\nPO | order\n\n```java\nx()\n```',
    );
  });

  it('never throws on odd input: unclosed macros and effects, lists starting deep', () => {
    expect(wikiToText('{code}\nnever closed')).toBe('```\nnever closed\n```');
    expect(wikiToText('*unclosed bold\n_and em')).toBe('*unclosed bold\n_and em');
    expect(wikiToText('** starts deep\n* then shallow')).toBe('- starts deep\n- then shallow');
    expect(wikiToText('')).toBe('');
    expect(wikiToText('h1.\n\nh7. not a heading')).toBe('h7. not a heading');
  });
});

describe('textToWiki', () => {
  it('writes each block kind in wiki markup', () => {
    expect(
      textToWiki(
        '## Title\n\nline one\nline two\n\n- a\n  - b\n  1. c\n- d\n\n1. one\n2. two\n\n> quoted\n\n> two\n>\n> paragraphs\n\n```ts\nx()\n```\n\n---',
      ),
    ).toBe(
      'h2. Title\n\nline one\nline two\n\n* a\n** b\n*# c\n* d\n\n# one\n# two\n\nbq. quoted\n\n{quote}\ntwo\n\nparagraphs\n{quote}\n\n{code:ts}\nx()\n{code}\n\n----',
    );
  });

  it('escapes what wiki would read as markup, and only that', () => {
    expect(textToWiki('*not bold* snake_case well-known 2*3 {braces} [link] Hi! !img ??x?? a - b')).toBe(
      '\\*not bold\\* snake_case well-known 2*3 \\{braces} \\[link] Hi! \\!img \\??x\\?? a - b',
    );
    expect(textToWiki('h1. is not a heading here\nbq. nor a quote\n| nor a table')).toBe(
      'h1\\. is not a heading here\nbq\\. nor a quote\n\\| nor a table',
    );
  });

  it('writes a list item of several lines with forced line breaks', () => {
    expect(textToWiki('- first line\n  second line')).toBe('* first line\\\\second line');
    expect(wikiToText(textToWiki('- first line\n  second line'))).toBe('- first line\n  second line');
  });

  it('round-trips: wikiToText(textToWiki(text)) is the normalised text', () => {
    const texts = [
      '',
      'Plain sentence.',
      'As a patient\nI want to book online\n\nSo that I do not call.',
      '# Booking\n\nAs a patient\nI want to book\n\n- one\n- two\n  - two and a half\n\n1. first\n2. second',
      '###### six\n\n####### seven is text',
      '- a\n  - b\n    - c\n  1. d\n- e',
      '- \n- empty item above',
      '> one line quote',
      '> # heading in a quote\n> - list in a quote\n>\n> ```js\n> code();\n> ```',
      '```gherkin\nFeature: x\n  Scenario: y\n    Given z *with* {braces}\n```',
      '```\n```',
      '---',
      '*stars* _under_ {{mono}} -dash- +plus+ ^caret^ ~tilde~ ??q?? [x|y] !img! {color:red}',
      'C:\\Users\\ada\\*.txt and a \\\\ pair and a trailing \\',
      'literal &#92; entity and & ampersand',
      '#hashtag and -5 degrees\n+1 from me',
      '- item ending in a dash -\n  -next line starting with one',
      'h1. fake heading\nbq. fake quote\n|fake|table|\n{code}',
      '  leading spaces\n\ttab',
      'a\r\nb\r\n\r\nc',
    ];
    for (const text of texts) {
      expect(wikiToText(textToWiki(text)), JSON.stringify(text)).toBe(normalizeDescription(text));
    }
  });

  it('loses what wiki markup cannot say: an ordered list start, a second block in a list item', () => {
    expect(wikiToText(textToWiki('3. three\n4. four'))).toBe('1. three\n2. four');
    // the quote after the nested list joins the item's paragraph, as its text, before the nested list
    expect(textToWiki('- a\n  - b\n  > quoted\n- c')).toBe('* a\\\\> quoted\n** b\n* c');
    expect(wikiToText(textToWiki('- a\n  - b\n  > quoted\n- c'))).toBe('- a\n  > quoted\n  - b\n- c');
  });
});
