import { describe, expect, it } from 'vitest';
import { adfToText, criteriaToAdf, textToAdf } from './adf';
import { detectFieldMap, issueFromJira, itemKindFor, jiraFieldsFor, jiraLabel } from './jira-fields';
import { textToWiki } from './jira-wiki';
import type { FieldMap, TrackerField } from './tracker';

const custom = (type: string) => `com.atlassian.jira.plugin.system.customfieldtypes:${type}`;
const field = (id: string, name: string, schema: string | null): TrackerField => ({ id, name, schema });

const cloudFields: TrackerField[] = [
  field('summary', 'Summary', 'string'),
  field('customfield_10016', 'Story point estimate', 'com.pyxis.greenhopper.jira:jsw-story-points'),
  field('customfield_10028', 'Story Points', custom('float')),
  field('customfield_10050', 'Pointless float', custom('float')),
  field('customfield_10060', 'Points (velocity)', custom('float')),
  field('customfield_10070', 'Story Points', custom('select')),
  field('customfield_10014', 'Epic Link', 'com.pyxis.greenhopper.jira:gh-epic-link'),
  field('customfield_10019', 'Rank', 'com.pyxis.greenhopper.jira:gh-lexo-rank'),
  field('customfield_10080', 'Acceptance Criteria', custom('textfield')),
  field('customfield_10081', 'Acceptance criteria (Gherkin)', custom('textarea')),
  field('customfield_10082', 'Acceptance criteria checklist', 'com.railsware.checklist'),
  field('customfield_10083', 'Definition of done', custom('textarea')),
  field('customfield_10084', 'AC', custom('textarea')),
];

describe('detectFieldMap', () => {
  it('picks story points by name first, then the jsw field, then a float named with "point"', () => {
    const { candidates } = detectFieldMap(cloudFields);
    expect(candidates.storyPoints.map((f) => f.id)).toEqual([
      'customfield_10028',
      'customfield_10016',
      'customfield_10050',
      'customfield_10060',
    ]);
  });

  it('takes a text criteria field named like acceptance criteria, textarea first; never "Definition of done"', () => {
    const { map, candidates } = detectFieldMap(cloudFields);
    expect(candidates.criteria.map((f) => f.id)).toEqual([
      'customfield_10081',
      'customfield_10084',
      'customfield_10080',
    ]);
    expect(map.criteria).toEqual({ kind: 'field', fieldId: 'customfield_10081' });
  });

  it('falls back to a description section when no criteria field fits', () => {
    const { map } = detectFieldMap([field('customfield_1', 'Definition of done', custom('textarea'))]);
    expect(map.criteria).toEqual({ kind: 'description-section', heading: 'Acceptance criteria' });
  });

  it('finds the epic link and rank by schema; on Cloud the parent field carries the epic', () => {
    const fields = [
      ...cloudFields,
      field('customfield_9', 'Rank (Obsolete)', 'com.pyxis.greenhopper.jira:gh-lexo-rank'),
    ];
    expect(detectFieldMap(fields).map).toEqual({
      storyPoints: 'customfield_10028',
      criteria: { kind: 'field', fieldId: 'customfield_10081' },
      epicLink: 'customfield_10014',
      rank: 'customfield_10019',
    });
    expect(detectFieldMap(fields, 'jira_cloud').map.epicLink).toBeNull();
    expect(detectFieldMap(fields, 'jira_cloud').candidates.epicLink).toHaveLength(1);
  });

  it('maps nothing on a bare site', () => {
    expect(detectFieldMap([]).map).toEqual({
      storyPoints: null,
      criteria: { kind: 'description-section', heading: 'Acceptance criteria' },
      epicLink: null,
      rank: null,
    });
  });
});

describe('itemKindFor', () => {
  it.each([
    ['Epic', 'epic'],
    ['Bug', 'bug'],
    ['defect', 'bug'],
    ['Spike', 'spike'],
    ['Research', 'spike'],
    ['Tech Debt', 'tech_debt'],
    ['Technical debt', 'tech_debt'],
    ['tech-debt', 'tech_debt'],
    ['Chore', 'tech_debt'],
    ['Refactoring', 'tech_debt'],
    ['Story', 'story'],
    ['Task', 'story'],
    ['Sub-task', 'story'],
    ['Improvement', 'story'],
    ['Kaizen', 'story'],
  ] as const)('%s → %s', (name, kind) => {
    expect(itemKindFor(name)).toBe(kind);
  });

  it('reads a type of its own at the epic level as an epic', () => {
    expect(itemKindFor('Feature', 1)).toBe('epic');
    expect(itemKindFor('Feature', 0)).toBe('story');
  });
});

const cloudMap: FieldMap = {
  storyPoints: 'customfield_10016',
  criteria: { kind: 'field', fieldId: 'customfield_10081' },
  epicLink: null,
  rank: 'customfield_10019',
};
const sectionMap: FieldMap = {
  ...cloudMap,
  criteria: { kind: 'description-section', heading: 'Acceptance criteria' },
};
const dcMap: FieldMap = {
  storyPoints: 'customfield_10002',
  criteria: { kind: 'description-section', heading: 'Acceptance criteria' },
  epicLink: 'customfield_10008',
  rank: 'customfield_10005',
};

function cloudIssue(fields: Record<string, unknown> = {}) {
  return {
    id: '10042',
    key: 'BOOK-42',
    self: 'https://acme.atlassian.net/rest/api/3/issue/10042',
    fields: {
      summary: 'Book a slot',
      description: textToAdf('As a patient\nI want to book'),
      issuetype: { id: '10001', name: 'Story', subtask: false, hierarchyLevel: 0 },
      parent: { id: '10001', key: 'BOOK-1', fields: { summary: 'Booking' } },
      labels: ['mvp', 'web'],
      priority: { id: '3', name: 'Medium' },
      status: {
        id: '3',
        name: 'In Progress',
        statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' },
      },
      updated: '2025-05-01T10:00:00.000+0200',
      customfield_10016: 5,
      customfield_10019: '0|i0001b:',
      customfield_10081: criteriaToAdf('Scenario: Book\n  Given a free slot'),
      ...fields,
    },
  };
}

describe('issueFromJira', () => {
  it('reads a Cloud (v3, ADF) issue', () => {
    expect(issueFromJira(cloudIssue(), cloudMap, 'https://acme.atlassian.net/', 'adf')).toEqual({
      id: '10042',
      key: 'BOOK-42',
      url: 'https://acme.atlassian.net/browse/BOOK-42',
      summary: 'Book a slot',
      description: 'As a patient\nI want to book',
      criteria: 'Scenario: Book\n  Given a free slot',
      type: 'story',
      typeName: 'Story',
      parentKey: 'BOOK-1',
      storyPoints: 5,
      priority: 'Medium',
      labels: ['mvp', 'web'],
      status: { name: 'In Progress', category: 'indeterminate' },
      rank: '0|i0001b:',
      updated: '2025-05-01T10:00:00.000+0200',
    });
  });

  it('reads a Data Center (v2, wiki) issue, its criteria in a description section and its epic in Epic Link', () => {
    const raw = {
      id: 20001,
      key: 'OPS-7',
      fields: {
        summary: 'Rotate logs',
        description:
          'h2. Why\nDisks fill *up*.\n\nh2. Acceptance Criteria\n{code:gherkin}\nGiven a full disk\n# a comment\n{code}',
        issuetype: { name: 'Tech Debt', subtask: false },
        labels: [],
        priority: null,
        status: { name: 'Done', statusCategory: { key: 'done' } },
        updated: '2025-05-02T08:00:00.000+0000',
        customfield_10002: '3.5',
        customfield_10008: 'OPS-1',
        customfield_10005: null,
      },
    };
    const issue = issueFromJira(raw, dcMap, 'https://jira.acme.test', 'wiki');
    expect(issue).toMatchObject({
      id: '20001',
      url: 'https://jira.acme.test/browse/OPS-7',
      description: '## Why\n\nDisks fill up.',
      criteria: 'Given a full disk\n# a comment',
      type: 'tech_debt',
      parentKey: 'OPS-1',
      storyPoints: 3.5,
      priority: null,
      status: { name: 'Done', category: 'done' },
      rank: null,
    });
  });

  it('takes criteria out of a Cloud description section', () => {
    const description = textToAdf('Text\n\n## Acceptance criteria\n\n```gherkin\nGiven a\n```');
    const issue = issueFromJira(cloudIssue({ description }), sectionMap, 'https://acme.atlassian.net', 'adf');
    expect(issue.description).toBe('Text');
    expect(issue.criteria).toBe('Given a');
  });

  it('reads empty and missing values as empty, and a sub-task or an unknown type as a story', () => {
    const issue = issueFromJira(
      cloudIssue({
        description: null,
        parent: undefined,
        labels: undefined,
        priority: undefined,
        issuetype: { name: 'Sub-task', subtask: true },
        customfield_10016: null,
        customfield_10019: undefined,
        customfield_10081: null,
        status: { name: 'Triage', statusCategory: { key: 'undefined' } },
      }),
      cloudMap,
      'https://acme.atlassian.net',
      'adf',
    );
    expect(issue).toMatchObject({
      description: '',
      criteria: null,
      type: 'story',
      parentKey: null,
      storyPoints: null,
      priority: null,
      labels: [],
      rank: null,
      status: { name: 'Triage', category: 'new' },
    });
    expect(
      issueFromJira(cloudIssue(), { ...cloudMap, criteria: { kind: 'none' } }, '', 'adf').criteria,
    ).toBeNull();
  });

  it('reads story points given as a string or a select option, and criteria given as a string', () => {
    const read = (points: unknown, criteria: unknown) =>
      issueFromJira(
        cloudIssue({ customfield_10016: points, customfield_10081: criteria }),
        cloudMap,
        'https://acme.atlassian.net',
        'adf',
      );
    expect(read(' 8 ', 'Given a\r\nThen b').storyPoints).toBe(8);
    expect(read({ id: '1', value: '13' }, null).storyPoints).toBe(13);
    expect(read('', null).storyPoints).toBeNull();
    expect(read(2, 'Given a\r\nThen b').criteria).toBe('Given a\nThen b');
    expect(read(2, '{code:gherkin}\nGiven a\n{code}').criteria).toBe('Given a');
  });

  it('throws a clear error naming the issue and the field when the issue is malformed', () => {
    const map = cloudMap;
    const site = 'https://acme.atlassian.net';
    expect(() => issueFromJira(null, map, site, 'adf')).toThrow(/Jira issue without a key is malformed/);
    expect(() =>
      issueFromJira({ ...cloudIssue(), fields: { ...cloudIssue().fields, summary: 7 } }, map, site, 'adf'),
    ).toThrow(/Jira issue BOOK-42 is malformed: fields\.summary: /);
    expect(() =>
      issueFromJira(
        { ...cloudIssue(), fields: { ...cloudIssue().fields, status: { name: 'x' } } },
        map,
        site,
        'adf',
      ),
    ).toThrow(/BOOK-42.*fields\.status\.statusCategory/);
    expect(() => issueFromJira({ ...cloudIssue(), key: 'not a key' }, map, site, 'adf')).toThrow(
      /Jira issue not a key is malformed: key: expected an issue key/,
    );
    expect(() => issueFromJira(cloudIssue({ customfield_10016: 'many' }), map, site, 'adf')).toThrow(
      'Jira issue BOOK-42: the story points field customfield_10016 holds "many", not a number',
    );
    expect(() => issueFromJira(cloudIssue({ customfield_10081: 12 }), map, site, 'adf')).toThrow(
      /BOOK-42: the criteria field customfield_10081/,
    );
    expect(() => issueFromJira(cloudIssue({ customfield_10019: 5 }), map, site, 'adf')).toThrow(
      /BOOK-42: the rank field customfield_10019/,
    );
    expect(() => issueFromJira(cloudIssue({ description: 5 }), map, site, 'adf')).toThrow(
      /fields\.description/,
    );
  });
});

describe('jiraFieldsFor', () => {
  it('writes summary, labels, description, criteria, points and parent for Cloud', () => {
    expect(
      jiraFieldsFor(
        {
          summary: 'New title',
          labels: ['mvp', 'tech debt', 'tech  debt', ' '],
          description: 'Text',
          criteria: 'Given a\nThen b',
          storyPoints: 3,
          parentKey: 'BOOK-2',
        },
        cloudMap,
        'adf',
      ),
    ).toEqual({
      summary: 'New title',
      labels: ['mvp', 'tech_debt'],
      description: textToAdf('Text'),
      customfield_10081: criteriaToAdf('Given a\nThen b'),
      customfield_10016: 3,
      parent: { key: 'BOOK-2' },
    });
  });

  it('clears what is null and sends only what changed', () => {
    expect(jiraFieldsFor({ criteria: null, storyPoints: null, parentKey: null }, cloudMap, 'adf')).toEqual({
      customfield_10081: null,
      customfield_10016: null,
      parent: null,
    });
    expect(jiraFieldsFor({ criteria: '' }, cloudMap, 'adf')).toEqual({ customfield_10081: null });
    expect(jiraFieldsFor({}, cloudMap, 'adf')).toEqual({});
    expect(jiraFieldsFor({ storyPoints: 2 }, { ...cloudMap, storyPoints: null }, 'adf')).toEqual({});
    expect(
      jiraFieldsFor({ criteria: 'Given a' }, { ...cloudMap, criteria: { kind: 'none' } }, 'adf'),
    ).toEqual({});
  });

  it('writes wiki markup and the Epic Link field for Data Center', () => {
    const map: FieldMap = { ...dcMap, criteria: { kind: 'field', fieldId: 'customfield_10100' } };
    expect(
      jiraFieldsFor(
        { description: '## Why\n\n- *a*', criteria: '# comment\nGiven a', parentKey: 'OPS-1' },
        map,
        'wiki',
      ),
    ).toEqual({
      description: 'h2. Why\n\n* \\*a\\*',
      customfield_10100: '# comment\nGiven a',
      customfield_10008: 'OPS-1',
    });
    expect(jiraFieldsFor({ parentKey: null }, map, 'wiki')).toEqual({ customfield_10008: null });
  });

  describe('with criteria in a description section', () => {
    const heading = 'Acceptance criteria';
    const jiraText = 'Text\n\n## Acceptance criteria\n\n```gherkin\nGiven old\n```\n\n## Notes\n\nkeep';

    it('sends both halves joined', () => {
      expect(jiraFieldsFor({ description: 'New text', criteria: 'Given new' }, sectionMap, 'adf')).toEqual({
        description: textToAdf(`New text\n\n## ${heading}\n\n\`\`\`gherkin\nGiven new\n\`\`\``),
      });
    });

    it("rejoins new criteria into Jira's whole description, in place", () => {
      const fields = jiraFieldsFor({ criteria: 'Given new' }, sectionMap, 'adf', { description: jiraText });
      expect(adfToText(fields.description)).toBe(
        'Text\n\n## Acceptance criteria\n\n```gherkin\nGiven new\n```\n\n## Notes\n\nkeep',
      );
    });

    it('keeps the current criteria when only the description changed (current as issueFromJira gave it)', () => {
      const fields = jiraFieldsFor({ description: 'New text' }, dcMap, 'wiki', {
        description: 'Text',
        criteria: 'Given old',
      });
      expect(fields).toEqual({
        description: textToWiki('New text\n\n## Acceptance criteria\n\n```gherkin\nGiven old\n```'),
      });
    });

    it('takes the section out when the criteria were emptied', () => {
      const fields = jiraFieldsFor({ criteria: '' }, sectionMap, 'adf', { description: jiraText });
      expect(adfToText(fields.description)).toBe('Text\n\n## Notes\n\nkeep');
    });

    it('refuses to send one half without knowing the other', () => {
      expect(() => jiraFieldsFor({ description: 'New text' }, sectionMap, 'adf')).toThrow(
        /current description is needed to send its description alone/,
      );
      expect(() => jiraFieldsFor({ criteria: 'Given a' }, sectionMap, 'adf')).toThrow(
        /to send its criteria alone/,
      );
    });
  });

  it('round-trips through issueFromJira', () => {
    const changes = { description: '## Why\n\n- a\n- b', criteria: 'Given a\n  | x |' };
    for (const [map, format] of [
      [cloudMap, 'adf'],
      [sectionMap, 'adf'],
      [dcMap, 'wiki'],
    ] as const) {
      const fields = jiraFieldsFor(changes, map, format);
      const raw = cloudIssue({ customfield_10081: null, ...fields });
      const issue = issueFromJira(raw, map, 'https://x', format);
      expect(
        { description: issue.description, criteria: issue.criteria },
        `${format} ${map.criteria.kind}`,
      ).toEqual(changes);
    }
  });

  it('makes labels Jira takes', () => {
    expect(jiraLabel('  needs  design ')).toBe('needs_design');
  });
});
