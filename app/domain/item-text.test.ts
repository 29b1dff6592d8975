import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  criteriaElements,
  criteriaField,
  criteriaText,
  descriptionElements,
  descriptionField,
  descriptionText,
  emptyFieldsBlockUpdate,
  itemTextSeed,
  neverEdited,
  normalizeCriteria,
  normalizeDescription,
  parseDescription,
  readItemText,
  replaceItemText,
} from './item-text';

/** Puts content into a fresh document's fragment, as the server does, and returns the fragment. */
function fragmentWith(field: string, content: Y.XmlElement[]) {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(field);
  fragment.insert(0, content);
  return fragment;
}

/** The fragment as the editor sees it: element names, attributes, text runs with their marks. */
function shape(node: Y.XmlFragment | Y.XmlElement): unknown[] {
  return node.toArray().map((child) => {
    if (child instanceof Y.XmlText) return child.toDelta();
    const el = child as Y.XmlElement;
    const attrs = el.getAttributes();
    return Object.keys(attrs).length ? { [el.nodeName]: shape(el), attrs } : { [el.nodeName]: shape(el) };
  });
}

const roundTripDescription = (text: string) =>
  descriptionText(fragmentWith(descriptionField, descriptionElements(text)));

describe('description: plain text → fragment content', () => {
  it('makes one paragraph per block, with hard breaks for single line breaks', () => {
    const fragment = fragmentWith(
      descriptionField,
      descriptionElements('As a patient\nI want to book online\n\nSo that I do not call.'),
    );
    expect(shape(fragment)).toEqual([
      { paragraph: [[{ insert: 'As a patient' }], { hardBreak: [] }, [{ insert: 'I want to book online' }]] },
      { paragraph: [[{ insert: 'So that I do not call.' }]] },
    ]);
  });

  it('reads headings, lists (nested, ordered with their start), quotes, code and rules', () => {
    const text = [
      '## Context',
      '',
      '- first',
      '- second',
      '  - nested',
      '',
      '3. three',
      '4. four',
      '',
      '> quoted',
      '',
      '```ts',
      'const a = 1;',
      '',
      '```',
      '',
      '---',
    ].join('\n');
    expect(parseDescription(text)).toEqual([
      { type: 'heading', level: 2, text: 'Context' },
      {
        type: 'bulletList',
        items: [
          [{ type: 'paragraph', text: 'first' }],
          [
            { type: 'paragraph', text: 'second' },
            { type: 'bulletList', items: [[{ type: 'paragraph', text: 'nested' }]] },
          ],
        ],
      },
      {
        type: 'orderedList',
        start: 3,
        items: [[{ type: 'paragraph', text: 'three' }], [{ type: 'paragraph', text: 'four' }]],
      },
      { type: 'blockquote', blocks: [{ type: 'paragraph', text: 'quoted' }] },
      { type: 'codeBlock', language: 'ts', text: 'const a = 1;\n' },
      { type: 'horizontalRule' },
    ]);
    const fragment = fragmentWith(descriptionField, descriptionElements(text));
    expect(shape(fragment)[0]).toEqual({ heading: [[{ insert: 'Context' }]], attrs: { level: 2 } });
    expect(shape(fragment)[2]).toMatchObject({ attrs: { start: 3 } });
  });

  it('keeps a list going over blank lines between its items, and continues an item on an indented line', () => {
    expect(parseDescription('- a\n\n- b\n  still b\nafter')).toEqual([
      {
        type: 'bulletList',
        items: [[{ type: 'paragraph', text: 'a' }], [{ type: 'paragraph', text: 'b\nstill b\nafter' }]],
      },
    ]);
    expect(parseDescription('- a\n\nafter')).toEqual([
      { type: 'bulletList', items: [[{ type: 'paragraph', text: 'a' }]] },
      { type: 'paragraph', text: 'after' },
    ]);
  });

  it('leaves text that only looks a little like markup alone', () => {
    expect(parseDescription('#hashtag and -5 degrees\n+1 from me')).toEqual([
      { type: 'paragraph', text: '#hashtag and -5 degrees\n+1 from me' },
    ]);
  });

  it('accepts Windows line endings and an empty text', () => {
    expect(roundTripDescription('a\r\nb\r\n\r\nc')).toBe('a\nb\n\nc');
    expect(roundTripDescription('')).toBe('');
    // An empty text is one empty paragraph, which people typing at once then share.
    expect(shape(fragmentWith(descriptionField, descriptionElements('')))).toEqual([{ paragraph: [[]] }]);
  });
});

describe('description: fragment → plain text', () => {
  it('separates blocks by a blank line and writes lists as "- " and numbered lines', () => {
    const text =
      '# Booking\n\nAs a patient\nI want to book\n\n- one\n- two\n  - two and a half\n\n1. first\n2. second';
    expect(roundTripDescription(text)).toBe(text);
  });

  it('projects what the editor writes: marks dropped, empty and trailing paragraphs left out', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(descriptionField);
    const bold = new Y.XmlText();
    const paragraph = new Y.XmlElement('paragraph');
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    const itemParagraph = new Y.XmlElement('paragraph');
    fragment.insert(0, [paragraph, new Y.XmlElement('paragraph'), list, new Y.XmlElement('paragraph')]);
    paragraph.insert(0, [bold]);
    bold.insert(0, 'Book ');
    bold.insert(5, 'online', { bold: {} });
    bold.insert(11, ' now', { italic: {} });
    list.insert(0, [item]);
    item.insert(0, [itemParagraph]);
    itemParagraph.insert(0, [new Y.XmlText('fast')]);
    expect(descriptionText(fragment)).toBe('Book online now\n\n- fast');
  });

  it('is stable: projecting, seeding from the projection and projecting again gives the same text', () => {
    const texts = [
      'Plain sentence.',
      '## Heading\n\nText\nwith a break\n\n- a\n- b\n  - c\n    - d\n- e\n\n7. seven\n8. eight\n\n> quote\n>\n> more\n\n```\ncode\n\n  indented\n```\n\n---\n\nend',
      '- item\n  continued\n\n  1. nested ordered\n  2. again',
      '  leading spaces\n\ttab',
    ];
    for (const text of texts) {
      const once = roundTripDescription(text);
      expect(roundTripDescription(once)).toBe(once);
      expect(normalizeDescription(once)).toBe(once);
    }
  });
});

describe('criteria', () => {
  const source = '@smoke\nScenario: Book\n  Given a free slot\n\n  When I book it\n  Then it is mine\n';

  it('makes one plain paragraph per line, blank lines and indentation included', () => {
    const fragment = fragmentWith(criteriaField, criteriaElements(source));
    expect(fragment.length).toBe(7);
    expect(shape(fragment)[2]).toEqual({ paragraph: [[{ insert: '  Given a free slot' }]] });
    expect(shape(fragment)[3]).toEqual({ paragraph: [[]] });
  });

  it('maps the text back 1:1, so line numbers are the same', () => {
    expect(criteriaText(fragmentWith(criteriaField, criteriaElements(source)))).toBe(source);
    expect(criteriaText(fragmentWith(criteriaField, criteriaElements('')))).toBe('');
    expect(criteriaText(fragmentWith(criteriaField, criteriaElements('a\r\nb')))).toBe('a\nb');
    expect(normalizeCriteria('a\r\nb\rc')).toBe('a\nb\nc');
  });

  it('reads an empty paragraph (what the editor shows for no text) as no text', () => {
    expect(criteriaText(fragmentWith(criteriaField, [new Y.XmlElement('paragraph')]))).toBe('');
  });
});

describe('the item document', () => {
  const texts = { description: 'As a patient I want to book.', criteria: 'Scenario: Book\n  Given a slot' };

  it('seeds both fragments with the same update on every server, so concurrent seeds do not double the text', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    expect(neverEdited(a)).toBe(true);
    Y.applyUpdate(a, itemTextSeed(texts)!);
    Y.applyUpdate(b, itemTextSeed(texts)!);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(readItemText(a)).toEqual(texts);
    expect(neverEdited(a)).toBe(false);
    const empty = new Y.Doc();
    Y.applyUpdate(empty, itemTextSeed({ description: '', criteria: '' }));
    expect(readItemText(empty)).toEqual({ description: '', criteria: '' });
    expect(empty.getXmlFragment(descriptionField).length).toBe(1);
    expect(empty.getXmlFragment(criteriaField).length).toBe(1);
  });

  it('replaces only the texts that differ, leaving an unchanged one (and its formatting) alone', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, itemTextSeed(texts)!);
    const before = doc.getXmlFragment(descriptionField).get(0);
    let replaced: string[] = [];
    doc.transact(() => {
      replaced = replaceItemText(doc, { description: texts.description, criteria: 'Scenario: Cancel' });
    });
    expect(replaced).toEqual(['criteria']);
    expect(doc.getXmlFragment(descriptionField).get(0)).toBe(before);
    expect(readItemText(doc)).toEqual({ description: texts.description, criteria: 'Scenario: Cancel' });
    expect(replaceItemText(doc, { description: 'New text\n\n\n\nwith gaps' })).toEqual(['description']);
    expect(readItemText(doc).description).toBe('New text\n\nwith gaps');
    // The same text in another form (extra blank lines) is not a change.
    expect(replaceItemText(doc, { description: 'New text\n\nwith gaps\n\n' })).toEqual([]);
  });
});

describe('every text field has its first paragraph before anyone types', () => {
  const blockNames = (doc: Y.Doc, field: string) =>
    doc
      .getXmlFragment(field)
      .toArray()
      .map((node) => (node instanceof Y.XmlElement ? node.nodeName : 'text'));

  /** Types into the first paragraph's run, as the editor binding does when that run exists. */
  const typeFirstLine = (doc: Y.Doc, field: string, text: string) => {
    const run = (doc.getXmlFragment(field).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    run.insert(run.length, text);
  };

  it('seeds empty texts with one empty paragraph holding one empty run, in both fields', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, itemTextSeed({ description: '', criteria: '' }));
    for (const field of [descriptionField, criteriaField]) {
      expect(blockNames(doc, field)).toEqual(['paragraph']);
      const paragraph = doc.getXmlFragment(field).get(0) as Y.XmlElement;
      expect(paragraph.toArray().map((c) => c instanceof Y.XmlText)).toEqual([true]);
    }
    expect(readItemText(doc)).toEqual({ description: '', criteria: '' });
    expect(emptyFieldsBlockUpdate('item:a', doc)).toBeNull();
  });

  it('gives an edited document whose field was emptied its paragraph back, leaving a field with text alone', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, itemTextSeed({ description: 'Keep me', criteria: 'Scenario: x' }));
    const criteria = doc.getXmlFragment(criteriaField);
    criteria.delete(0, criteria.length);
    const update = emptyFieldsBlockUpdate('item:a', doc);
    expect(update).not.toBeNull();
    Y.applyUpdate(doc, update!);
    expect(blockNames(doc, criteriaField)).toEqual(['paragraph']);
    expect(readItemText(doc)).toEqual({ description: 'Keep me', criteria: '' });
    expect(emptyFieldsBlockUpdate('item:a', doc)).toBeNull();
  });

  it('makes the same update on two servers in the same state, so a relayed copy adds no second paragraph', () => {
    const original = new Y.Doc();
    original.getXmlFragment(descriptionField).insert(0, descriptionElements('Text'));
    const state = Y.encodeStateAsUpdate(original);
    const [one, two] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(one, state);
    Y.applyUpdate(two, state);
    const fromOne = emptyFieldsBlockUpdate('item:a', one)!;
    const fromTwo = emptyFieldsBlockUpdate('item:a', two)!;
    expect(fromTwo).toEqual(fromOne);
    Y.applyUpdate(one, fromOne);
    Y.applyUpdate(one, fromTwo);
    Y.applyUpdate(two, fromTwo);
    Y.applyUpdate(two, fromOne);
    expect(blockNames(one, criteriaField)).toEqual(['paragraph']);
    expect(blockNames(two, criteriaField)).toEqual(['paragraph']);
    // Another document, or another state, gets another client id: no id is reused for a different change.
    expect(emptyFieldsBlockUpdate('item:b', new Y.Doc())).not.toEqual(
      emptyFieldsBlockUpdate('item:a', new Y.Doc()),
    );
  });

  it('keeps two people typing at once into an empty field in one paragraph, each text in one piece', () => {
    const server = new Y.Doc();
    Y.applyUpdate(server, emptyFieldsBlockUpdate('item:a', server)!);
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
    // Key by key, neither seeing the other's keys yet.
    for (const ch of 'Scenario: PO writes first') typeFirstLine(a, criteriaField, ch);
    for (const ch of 'Given a dev writes') typeFirstLine(b, criteriaField, ch);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const text = readItemText(a).criteria;
    expect(readItemText(b).criteria).toBe(text);
    expect(blockNames(a, criteriaField)).toEqual(['paragraph']);
    expect(text).toContain('Scenario: PO writes first');
    expect(text).toContain('Given a dev writes');
  });
});
