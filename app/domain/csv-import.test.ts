import { describe, expect, it } from 'vitest';
import {
  type ColumnMapping,
  CsvSyntaxError,
  mapRows,
  normaliseHeader,
  parseCsv,
  parseEstimate,
  splitLabels,
  suggestMapping,
} from './csv-import';

/**
 * A realistic Jira Cloud export: BOM, CRLF, repeated Labels and Sprint columns, custom fields, both story point
 * columns, a multi-line description with quotes and multi-line Gherkin criteria. One physical line per entry, so
 * the index + 1 is the file line.
 */
const jiraLines = [
  'Summary,Issue key,Issue id,Issue Type,Status,Priority,Labels,Labels,Labels,Description,Custom field (Story Points),Custom field (Story point estimate),Custom field (Epic Link),Parent,Parent summary,Custom field (Epic Name),Custom field (Acceptance Criteria),Sprint,Sprint',
  'Accounts,REF-1,10001,Epic,To Do,High,accounts,,,Everything about signing in,,,,,,Accounts,,,', // line 2
  'Log in with email,REF-2,10002,Story,In Progress,Highest,auth,"security,mvp",,"As a user', // line 3
  'I want to log in with ""my email""', // 4
  'So that I see my backlog",5,,REF-1,10001,Accounts,,"Scenario: Right password', // 5
  '  Given an account', // 6
  '  When I log in', // 7
  '  Then I see my backlog",Sprint 1,Sprint 2', // 8
  'Password reset mail is empty,REF-3,10003,Bug,To Do,Medium,,,,The mail has no link.,,3,REF-1,10001,Accounts,,,,', // 9
  '', // 10: blank lines happen at the end of hand-edited files
  'Tidy the session table,REF-4,10004,Technical debt,To Do,Lowest,tech-debt cleanup,,,,0.5,,,,,,,,', // 11
  'Spike: try LexoRank,REF-5,10005,Spike,Done,Low,,,,,,2,,,,,,,', // 12
  'Write the reset mail,REF-6,10006,Sub-task,To Do,,,,,,1,,,10003,Password reset mail is empty,,,,', // 13
  'Ship it,REF-7,10007,Task,To Do,Blocker,,,,,,,,,,,,,', // 14
];
const jiraCsv = `\uFEFF${jiraLines.join('\r\n')}\r\n`;

describe('parseCsv', () => {
  it('reads a Jira export: BOM stripped, CRLF, quoted multi-line values, doubled quotes', () => {
    const { header, rows } = parseCsv(jiraCsv);
    expect(header[0]).toBe('Summary'); // no BOM glued to the first name
    expect(header).toHaveLength(19);
    expect(rows).toHaveLength(7);
    expect(rows[1][9]).toBe('As a user\r\nI want to log in with "my email"\r\nSo that I see my backlog');
    expect(rows[1][7]).toBe('security,mvp');
  });
  it('gives each row the line it starts on, across multi-line values and blank lines', () => {
    expect(parseCsv(jiraCsv).rowLines).toEqual([2, 3, 9, 11, 12, 13, 14]);
  });
  it('counts lines the same with LF and with a lone trailing newline missing', () => {
    const lf = jiraLines.join('\n');
    expect(parseCsv(lf).rowLines).toEqual([2, 3, 9, 11, 12, 13, 14]);
  });
  it('skips rows of bare commas, keeping later lines right', () => {
    const r = parseCsv('Summary,Priority\n,\n , \nReal,High\n');
    expect(r.rows).toEqual([['Real', 'High']]);
    expect(r.rowLines).toEqual([4]);
  });
  it('counts lines by characters, not bytes, with non-ASCII text', () => {
    const r = parseCsv('Summary,Description\n"Café ☕","line\nbreak ü"\nNext,x\n');
    expect(r.rowLines).toEqual([2, 4]);
  });
  it('names the line of an unclosed quote (where the value starts)', () => {
    const text = 'Summary,Description\nGood,fine\nBad,"never closed\nmore,text\n';
    expect(() => parseCsv(text)).toThrow(CsvSyntaxError);
    try {
      parseCsv(text);
    } catch (e) {
      expect(e).toMatchObject({ line: 3, reason: expect.stringContaining('never closed') });
      expect((e as Error).message).toMatch(/^Line 3: /);
    }
  });
  it('names the line of text after a closing quote and of a stray quote', () => {
    const closing = (() => {
      try {
        parseCsv('A,B\n1,2\n"x"y,3\n');
      } catch (e) {
        return e as CsvSyntaxError;
      }
    })();
    expect(closing).toMatchObject({ line: 3, reason: expect.stringContaining('""') });
    const opening = (() => {
      try {
        parseCsv('A,B\r\n1,"multi\r\nline"\r\n\r\n3, "x"\r\n');
      } catch (e) {
        return e as CsvSyntaxError;
      }
    })();
    expect(opening).toMatchObject({ line: 5, reason: expect.stringContaining('inside an unquoted value') });
  });
  it('refuses an empty file', () => {
    expect(() => parseCsv('')).toThrow(/Line 1: The file is empty/);
    expect(() => parseCsv('\uFEFF\r\n\r\n')).toThrow(/empty/);
  });
  it('parses 10,000 rows with quoted line breaks, each item keeping the line it starts on', () => {
    // How fast: bench/foundation.ts ("CSV import, 10,000 rows").
    const lines = ['Summary,Issue Type,Story Points,Priority,Description'];
    for (let i = 0; i < 10_000; i++)
      lines.push(`Item ${i},Story,${i % 13},Medium,"Line one\nline two, with ""quotes"""`);
    const { header, rows, rowLines } = parseCsv(lines.join('\n'));
    const { items, errors } = mapRows(header, rows, suggestMapping(header), rowLines);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(10_000);
    expect(items[9_999].line).toBe(2 + 9_999 * 2);
    expect(items[9_999].description).toBe('Line one\nline two, with "quotes"');
  });
});

describe('suggestMapping', () => {
  it('maps Jira’s columns, custom-field names included', () => {
    const { header } = parseCsv(jiraCsv);
    expect(suggestMapping(header)).toEqual({
      title: 0,
      externalKey: 1,
      type: 3,
      priority: 5,
      labels: 6,
      description: 9,
      estimate: 10,
      parent: 12,
      criteria: 16,
    });
  });
  it('is case- and spacing-insensitive and leaves unknown targets unmapped', () => {
    expect(
      suggestMapping(['  SUMMARY ', 'issue   type', 'custom field(acceptance criteria)', 'Other']),
    ).toEqual({
      title: 0,
      type: 1,
      description: null,
      estimate: null,
      priority: null,
      parent: null,
      labels: null,
      criteria: 2,
      externalKey: null,
    });
  });
  it('does not take a column whose name only contains a target (Parent summary is not Summary)', () => {
    expect(suggestMapping(['Parent summary', 'Issue id']).title).toBeNull();
    expect(suggestMapping(['Parent summary', 'Issue id']).parent).toBe(0);
  });
  it('with rows, prefers the candidate column that has values', () => {
    const header = ['Summary', 'Story Points', 'Story point estimate', 'Epic Link', 'Parent summary'];
    const rows = [
      ['a', '', '3', '', 'Epic A'],
      ['b', '', '5', 'REF-1', 'Epic A'],
    ];
    expect(suggestMapping(header, rows)).toMatchObject({ estimate: 2, parent: 4 });
    expect(suggestMapping(header)).toMatchObject({ estimate: 1, parent: 3 });
  });
});

describe('mapRows on the Jira sample', () => {
  const { header, rows, rowLines } = parseCsv(jiraCsv);
  const { items, errors } = mapRows(header, rows, suggestMapping(header, rows), rowLines);

  it('imports every row without errors', () => {
    expect(errors).toEqual([]);
    expect(items.map((i) => [i.line, i.externalKey, i.type])).toEqual([
      [2, 'REF-1', 'epic'],
      [3, 'REF-2', 'story'],
      [9, 'REF-3', 'bug'],
      [11, 'REF-4', 'tech_debt'],
      [12, 'REF-5', 'spike'],
      [13, 'REF-6', 'story'],
      [14, 'REF-7', 'story'],
    ]);
  });
  it('maps priorities to MoSCoW', () => {
    expect(items.map((i) => i.moscow)).toEqual(['should', 'must', 'could', 'wont', 'wont', null, 'must']);
  });
  it('collects labels from every Labels column, split on spaces and commas, without duplicates', () => {
    expect(items[0].labels).toEqual(['accounts']);
    expect(items[1].labels).toEqual(['auth', 'security', 'mvp']);
    expect(items[3].labels).toEqual(['tech-debt', 'cleanup']);
    expect(items[2].labels).toEqual([]);
  });
  it('keeps the multi-line description and the criteria', () => {
    expect(items[1].description).toBe(
      'As a user\r\nI want to log in with "my email"\r\nSo that I see my backlog',
    );
    expect(items[1].criteria).toMatch(/^Scenario: Right password/);
    expect(items[0].criteria).toBe('');
  });
  it('reads whichever story-point column has values and rounds fractions up', () => {
    // Story Points (col 10) has 5, 0.5 and 1; Story point estimate (col 11) has 3 and 2: col 10 wins
    expect(items.map((i) => i.estimate)).toEqual([null, 5, null, 1, null, 1, null]);
  });
  it('takes the parent from the fullest parent column and drops an epic’s reference to itself', () => {
    // Parent summary (3 values) beats Epic Link (2): it also covers the sub-task under a bug
    expect(items.map((i) => i.parentRef)).toEqual([
      null,
      'Accounts',
      'Accounts',
      null,
      null,
      'Password reset mail is empty',
      null,
    ]);
    const byKey = mapRows(header, rows, { ...suggestMapping(header), parent: 12 }, rowLines).items;
    expect(byKey.map((i) => i.parentRef)).toEqual([null, 'REF-1', 'REF-1', null, null, null, null]);
    const byName = mapRows(header, rows, { ...suggestMapping(header), parent: 15 }, rowLines).items;
    expect(byName[0].parentRef).toBeNull(); // Epic Name "Accounts" on the Accounts epic itself
  });
});

describe('mapRows rules', () => {
  const header = ['Summary', 'Issue Type', 'Story Points', 'Priority', 'Issue key', 'Acceptance Criteria'];
  const mapping = suggestMapping(header);
  const run = (...rows: string[][]) => mapRows(header, rows, mapping);

  it('lists every broken row with its line and reason, and returns items only for good rows', () => {
    const { items, errors } = run(
      ['Fine', 'Story', '3', 'High', 'K-1', ''],
      ['', 'Story', '', '', '', ''],
      ['Incident row', 'Incident', '', '', '', ''],
      ['Negative', 'Bug', '-2', '', '', ''],
      ['Words', 'Bug', 'three', '', '', ''],
      ['Huge', 'Bug', '1001', '', '', ''],
      ['Custom priority', 'Bug', '', 'P1', '', ''],
      ['x'.repeat(301), 'Bug', '', '', '', ''],
      ['Bad criteria', 'Story', '', '', '', 'Scenario: a\n  Given b\n  garbage'],
      ['Duplicate', 'Story', '', '', 'K-1', ''],
      ['Two problems', 'Saga', '1.5.2', '', '', ''],
    );
    expect(items.map((i) => i.title)).toEqual(['Fine']);
    expect(errors).toEqual([
      { line: 3, reason: 'The title (Summary) is empty' },
      { line: 4, reason: expect.stringContaining('Unknown issue type "Incident"') },
      { line: 5, reason: 'Estimate "-2" is not a non-negative number' },
      { line: 6, reason: 'Estimate "three" is not a non-negative number' },
      { line: 7, reason: 'Estimate 1001 is above 1000' },
      { line: 8, reason: expect.stringContaining('Unknown priority "P1"') },
      { line: 9, reason: 'The title is 301 characters; at most 300' },
      {
        line: 10,
        reason: expect.stringMatching(/not valid Gherkin \(line 3 of the criteria: Unexpected "garbage"/),
      },
      { line: 11, reason: 'Issue key K-1 appears twice (also on line 2)' },
      { line: 12, reason: expect.stringContaining('"Saga"') },
      { line: 12, reason: 'Estimate "1.5.2" is not a non-negative number' },
    ]);
  });
  it('accepts a title of exactly 300 characters and collapses whitespace in titles', () => {
    const { items } = run(['x'.repeat(300), '', '', '', '', ''], ['  Two\n lines  ', '', '', '', '', '']);
    expect(items.map((i) => i.title.length)).toEqual([300, 9]);
    expect(items[1].title).toBe('Two lines');
  });
  it('maps every Jira issue type, any case and spelling', () => {
    const cases: Array<[string, string]> = [
      ['Story', 'story'],
      ['bug', 'bug'],
      ['EPIC', 'epic'],
      ['Task', 'story'],
      ['Sub-task', 'story'],
      ['Subtask', 'story'],
      ['Spike', 'spike'],
      ['Technical debt', 'tech_debt'],
      ['Tech Debt', 'tech_debt'],
      ['tech-debt', 'tech_debt'],
      ['', 'story'],
    ];
    const { items, errors } = run(...cases.map(([t]) => ['T', t, '', '', '', '']));
    expect(errors).toEqual([]);
    expect(items.map((i) => i.type)).toEqual(cases.map(([, t]) => t));
  });
  it('maps Jira priorities of both schemes and MoSCoW words', () => {
    const cases: Array<[string, string | null]> = [
      ['Highest', 'must'],
      ['Blocker', 'must'],
      ['Critical', 'must'],
      ['High', 'should'],
      ['Major', 'should'],
      ['Medium', 'could'],
      ['Minor', 'could'],
      ['Low', 'wont'],
      ['Lowest', 'wont'],
      ['Trivial', 'wont'],
      ['', null],
      ['Must have', 'must'],
      ["Won't have (this time)", 'wont'],
      ['won’t', 'wont'],
    ];
    const { items, errors } = run(...cases.map(([p]) => ['T', '', '', p, '', '']));
    expect(errors).toEqual([]);
    expect(items.map((i) => i.moscow)).toEqual(cases.map(([, m]) => m));
  });
  it('refuses values beyond the header unless they are empty', () => {
    const { errors } = mapRows(
      ['Summary'],
      [
        ['a', ''],
        ['b', 'extra'],
      ],
      { ...mapping, title: 0, type: null, estimate: null, priority: null, externalKey: null, criteria: null },
    );
    expect(errors).toEqual([{ line: 3, reason: 'The row has 2 values but the header has 1 columns' }]);
  });
  it('answers a mapping without a title, or pointing outside the header, on line 1 and maps nothing', () => {
    expect(mapRows(header, [['a']], { ...mapping, title: null })).toEqual({
      items: [],
      errors: [{ line: 1, reason: 'No column is mapped to the title (Jira: Summary)' }],
    });
    const bad: ColumnMapping = { ...mapping, estimate: 42 };
    expect(mapRows(header, [['a']], bad).errors[0]).toEqual({
      line: 1,
      reason: 'The estimate mapping points at column 42, which the file does not have',
    });
  });
  it('treats short rows as having empty trailing values', () => {
    const { items, errors } = run(['Only a title']);
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({
      type: 'story',
      estimate: null,
      moscow: null,
      externalKey: null,
      criteria: '',
      labels: [],
    });
  });
});

describe('helpers', () => {
  it('parseEstimate rounds fractions up and refuses the rest', () => {
    expect(parseEstimate('')).toEqual({ value: null });
    expect(parseEstimate(' 0 ')).toEqual({ value: 0 });
    expect(parseEstimate('0.5')).toEqual({ value: 1 });
    expect(parseEstimate('2.1')).toEqual({ value: 3 });
    expect(parseEstimate('13.0')).toEqual({ value: 13 });
    expect(parseEstimate('1000')).toEqual({ value: 1000 });
    expect(parseEstimate('1000.5')).toEqual({ error: 'Estimate 1000.5 is above 1000' });
    for (const bad of ['-1', '1e3', '3,5', '?', 'Infinity', '.5'])
      expect('error' in parseEstimate(bad), bad).toBe(true);
  });
  it('splitLabels splits on spaces and commas and removes duplicates', () => {
    expect(splitLabels(['a b,c', ' ,a ', 'd'])).toEqual(['a', 'b', 'c', 'd']);
  });
  it('normaliseHeader unwraps Jira custom fields', () => {
    expect(normaliseHeader('Custom field (Story point estimate)')).toBe('story point estimate');
    expect(normaliseHeader('\uFEFFSummary')).toBe('summary');
  });
});
