import { describe, expect, it } from 'vitest';
import { adfToText, textToAdf } from './adf';
import { joinCriteria, splitCriteria } from './criteria-section';
import { textToWiki, wikiToText } from './jira-wiki';

const heading = 'Acceptance criteria';
const gherkin = [
  '# language: en',
  '@smoke',
  'Feature: Booking',
  '  Scenario: Book a free slot',
  '    Given a free slot',
  '    | day | time |',
  '    | Mon | 9:00 |',
  '    * it is mine',
  '    """',
  '    a doc string',
  '    """',
].join('\n');

describe('splitCriteria', () => {
  it.each([
    {
      name: 'a fenced section at the end',
      text: 'As a patient\n\n## Acceptance criteria\n\n```gherkin\nGiven a\nThen b\n```',
      description: 'As a patient',
      criteria: 'Given a\nThen b',
    },
    {
      name: 'a section in the middle, up to the next heading of its level',
      text: '# Story\n\nText\n\n## Acceptance Criteria\n\nGiven a\nThen b\n\n### a sub-heading stays in\n\nmore\n\n## Notes\n\nafter',
      description: '# Story\n\nText\n\n## Notes\n\nafter',
      criteria: 'Given a\nThen b\n\n### a sub-heading stays in\n\nmore',
    },
    {
      name: 'a section ended by a higher heading',
      text: '## acceptance criteria:\nGiven a\n# Next chapter\nx',
      description: '# Next chapter\nx',
      criteria: 'Given a',
    },
    {
      name: 'a tilde fence, any language',
      text: '### ACCEPTANCE  CRITERIA\n\n~~~cucumber\nGiven a\n~~~',
      description: '',
      criteria: 'Given a',
    },
    {
      name: 'a fence that is not all of the section stays in the criteria',
      text: '## Acceptance criteria\n\n```\nGiven a\n```\n\nand some words',
      description: '',
      criteria: '```\nGiven a\n```\n\nand some words',
    },
    {
      name: 'Gherkin comments inside the fence are not headings',
      text: `## Acceptance criteria\n\n\`\`\`gherkin\n${gherkin}\n\`\`\`\n\n## Notes\n\nx`,
      description: '## Notes\n\nx',
      criteria: gherkin,
    },
    {
      name: 'a line holding only the heading text, as Jira people write it in bold',
      text: 'Story text\n\nAcceptance Criteria:\n\nGiven a\n\nThen b\n\n## Notes\n\nx',
      description: 'Story text\n\n## Notes\n\nx',
      criteria: 'Given a\n\nThen b',
    },
    {
      name: 'a real heading wins over an earlier line with the same text',
      text: 'Acceptance criteria\n\nfirst\n\n## Acceptance criteria\n\nsecond',
      description: 'Acceptance criteria\n\nfirst',
      criteria: 'second',
    },
    {
      name: 'a heading with nothing under it',
      text: 'Text\n\n## Acceptance criteria\n\n## Notes',
      description: 'Text\n\n## Notes',
      criteria: '',
    },
    {
      name: 'no such heading',
      text: 'Text\n\n## Criteria for acceptance\n\n```\nGiven a\n```',
      description: 'Text\n\n## Criteria for acceptance\n\n```\nGiven a\n```',
      criteria: null,
    },
    {
      name: 'a heading line inside a code block is no heading',
      text: '```\n## Acceptance criteria\n```',
      description: '```\n## Acceptance criteria\n```',
      criteria: null,
    },
  ])('$name', ({ text, description, criteria }) => {
    expect(splitCriteria(text, heading)).toEqual({ description, criteria });
  });
});

describe('joinCriteria', () => {
  it('appends "## <heading>" and a gherkin fence when there is no section', () => {
    expect(joinCriteria('As a patient', 'Given a', heading)).toBe(
      'As a patient\n\n## Acceptance criteria\n\n```gherkin\nGiven a\n```',
    );
    expect(joinCriteria('', 'Given a', heading)).toBe('## Acceptance criteria\n\n```gherkin\nGiven a\n```');
  });

  it('replaces an existing section in place, keeping its heading line and what follows', () => {
    expect(
      joinCriteria('Text\n\n### ACCEPTANCE CRITERIA:\n\nold line\n\n## Notes\n\nx', 'Given new', heading),
    ).toBe('Text\n\n### ACCEPTANCE CRITERIA:\n\n```gherkin\nGiven new\n```\n\n## Notes\n\nx');
  });

  it('takes the section out when there are no criteria', () => {
    expect(joinCriteria('Text\n\n## Acceptance criteria\n\nold\n\n## Notes', null, heading)).toBe(
      'Text\n\n## Notes',
    );
    expect(joinCriteria('Text\n\n## Acceptance criteria\n\nold', '  \n', heading)).toBe('Text');
    expect(joinCriteria('Text', null, heading)).toBe('Text');
  });

  it('uses a longer fence when a line of the criteria starts with backticks', () => {
    const criteria = 'Given a doc string\n  ```\n  x\n  ```';
    expect(joinCriteria('', criteria, heading)).toBe(
      `## Acceptance criteria\n\n\`\`\`\`gherkin\n${criteria}\n\`\`\`\``,
    );
  });
});

describe('round trips', () => {
  const descriptions = ['', 'As a patient\nI want to book', '# Story\n\n- a\n- b\n\n## Notes\n\nx'];
  const criteriaSources = [
    'Given a',
    gherkin,
    'Given a doc string\n  ```\n  x\n  ```',
    '\n  Given indented\n',
  ];

  it('splitCriteria(joinCriteria(d, c)) gives d and c back', () => {
    for (const description of descriptions)
      for (const criteria of criteriaSources) {
        const joined = joinCriteria(description, criteria, heading);
        expect(splitCriteria(joined, heading)).toEqual({ description, criteria });
      }
  });

  it('joinCriteria(splitCriteria(x)) gives x back when its section is fenced', () => {
    const texts = [
      'Text\n\n## Acceptance criteria\n\n```gherkin\nGiven a\n```',
      'Text\n\n## Acceptance criteria\n\n```gherkin\nGiven a\n```\n\n## Notes\n\nx',
    ];
    for (const text of texts) {
      const { criteria } = splitCriteria(text, heading);
      expect(joinCriteria(text, criteria, heading)).toBe(text);
    }
  });

  it('keeps the criteria exact through Jira: ADF and wiki markup', () => {
    for (const criteria of [gherkin, 'Given a', '  Given indented']) {
      const joined = joinCriteria('As a patient\n\n- one', criteria, heading);
      expect(splitCriteria(adfToText(textToAdf(joined)), heading)).toEqual({
        description: 'As a patient\n\n- one',
        criteria,
      });
      expect(splitCriteria(wikiToText(textToWiki(joined)), heading)).toEqual({
        description: 'As a patient\n\n- one',
        criteria,
      });
    }
  });
});
