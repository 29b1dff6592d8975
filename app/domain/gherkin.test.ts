import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  combineFeatures,
  featureFileName,
  featureFileNames,
  type ParsedCriteria,
  parseCriteria,
  toFeatureFile,
} from './gherkin';

const fixtures = new URL('./gherkin-fixtures/', import.meta.url);
const read = (dir: string, name: string) => readFileSync(new URL(`${dir}/${name}`, fixtures), 'utf8');
const files = (dir: string) =>
  readdirSync(new URL(dir, fixtures))
    .filter((f) => f.endsWith('.feature'))
    .sort();

function ok(result: ParsedCriteria) {
  if (!result.ok) throw new Error(`expected criteria to parse: ${JSON.stringify(result.errors)}`);
  return result;
}

/** What each well-formed fixture must yield: scenario names in order, and the language. */
const valid: Record<
  string,
  { language?: string; scenarios: string[]; check?: (r: ReturnType<typeof ok>) => void }
> = {
  '01-basic.feature': {
    scenarios: ['Filters are restored on the next visit', "A guest's filters are not kept"],
    check: (r) => {
      expect(r.feature.name).toBe('Save search preferences');
      expect(r.feature.description).toContain('As a returning shopper');
      expect(r.scenarios[0].steps.map((s) => s.keyword)).toEqual(['Given', 'And', 'When', 'Then', 'But']);
      expect(r.scenarios[0].steps.map((s) => s.keywordType)).toEqual([
        'context',
        'conjunction',
        'action',
        'outcome',
        'conjunction',
      ]);
      expect(r.scenarios[0].steps[1]).toMatchObject({
        text: 'I filtered by "size: M" and "colour: blue"',
        line: 8,
      });
      expect(r.scenarios.map((s) => s.index)).toEqual([0, 1]);
    },
  },
  '02-outline-examples.feature': {
    scenarios: ['Applying a code to a basket of <total>'],
    check: (r) => {
      const [s] = r.scenarios;
      expect(s.keyword).toBe('Scenario Outline');
      expect(s.examples.map((e) => e.name)).toEqual(['Valid codes', 'Expired codes', '']);
      expect(s.examples[0]).toMatchObject({ keyword: 'Examples', line: 8, header: ['code', 'total', 'pay'] });
      expect(s.examples[0].rows).toEqual([
        ['SAVE10', '100', '90'],
        ['HALF', '80', '40'],
      ]);
      expect(s.examples[2]).toMatchObject({ tags: ['@edge'], rows: [['', '0', '0']] });
    },
  },
  '03-background.feature': {
    scenarios: ['Average velocity', 'Forecast range'],
    check: (r) => {
      expect(r.feature.background).toMatchObject({
        keyword: 'Background',
        name: 'Three finished sprints',
        line: 3,
      });
      expect(r.feature.background?.steps.map((s) => s.text)).toEqual([
        'sprints 1 to 3 are closed',
        'the accepted points were 20, 24 and 22',
      ]);
    },
  },
  '04-data-tables.feature': {
    scenarios: ['Users from a table'],
    check: (r) => {
      const table = r.scenarios[0].steps[0].dataTable!;
      expect(table[0]).toEqual(['name', 'email', 'role']);
      expect(table[3]).toEqual(['Pipe', 'a|b@example.com', '']); // escaped pipe, empty cell
      expect(r.scenarios[0].steps[3].dataTable).toEqual([['owner', 'stakeholder', '(none)']]);
    },
  },
  '05-doc-strings.feature': {
    scenarios: ['Plain doc string', 'Backtick doc string with a media type', 'Escaped delimiters'],
    check: (r) => {
      expect(r.scenarios[0].steps[0].docString).toEqual({
        content: 'As a PO\n  I want indented lines kept\nSo that nothing is lost',
        mediaType: null,
        delimiter: '"""',
      });
      expect(r.scenarios[1].steps[0].docString).toMatchObject({ mediaType: 'json', delimiter: '```' });
      expect(JSON.parse(r.scenarios[1].steps[0].docString!.content)).toEqual({ ok: true, items: [] });
      expect(r.scenarios[2].steps[0].docString?.content).toBe('A code fence:\n"""\nend');
    },
  },
  '06-tags.feature': {
    scenarios: ['Tagged scenario', 'Tagged outline'],
    check: (r) => {
      expect(r.feature.tags).toEqual(['@backlog', '@team-a']);
      expect(r.scenarios[0].tags).toEqual(['@smoke', '@fast', '@ui']);
      expect(r.scenarios[1].tags).toEqual(['@wip']);
      expect(r.scenarios[1].examples.map((e) => e.tags)).toEqual([['@happy'], ['@sad', '@regression']]);
    },
  },
  '07-comments.feature': {
    scenarios: ['Comments between steps', 'Second'],
    check: (r) => {
      expect(r.feature.description).toBe('');
      expect(r.scenarios[0].steps[1].dataTable).toEqual([
        ['a', 'b'],
        ['1', '2'],
      ]);
      expect(r.scenarios[1].steps[0]).toMatchObject({
        keyword: '*',
        text: 'a star step',
        keywordType: 'unknown',
      });
    },
  },
  '08-rules.feature': {
    scenarios: ['A lone link', 'Direct cycle', 'Long cycle', 'Item above its blocker'],
    check: (r) => {
      expect(r.scenarios.map((s) => s.rule)).toEqual([
        null,
        'Cycles are refused',
        'Cycles are refused',
        'Order warnings',
      ]);
      expect(r.scenarios.map((s) => s.ruleIndex)).toEqual([null, 0, 0, 1]);
      expect(r.feature.rules[0].background?.steps[0].text).toBe('items A, B and C');
      expect(r.feature.rules[0].description).toContain('Any link that closes a loop');
      expect(r.feature.rules[1].tags).toEqual(['@warning']);
      expect(r.scenarios.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    },
  },
  '09-french.feature': {
    language: 'fr',
    scenarios: ['Voter dans le budget', 'Dépasser le budget', 'Avant la révélation'],
    check: (r) => {
      expect(r.feature).toMatchObject({
        keyword: 'Fonctionnalité',
        name: 'Vote par points',
        tags: ['@vote'],
      });
      expect(r.feature.background?.keyword).toBe('Contexte');
      expect(r.scenarios.map((s) => s.keyword)).toEqual(['Scénario', 'Plan du scénario', 'Exemple']);
      expect(r.scenarios[0].steps.map((s) => s.keyword)).toEqual(['Quand', 'Et', 'Alors', 'Mais']);
      expect(r.scenarios[1].steps[0]).toMatchObject({
        keyword: "Étant donné qu'",
        text: 'on a déjà placé <déjà> points',
        keywordType: 'context',
      });
      expect(r.scenarios[1].examples[0]).toMatchObject({
        keyword: 'Exemples',
        header: ['déjà', 'encore', 'message'],
      });
      expect(r.scenarios[2].rule).toBe('Le vote est secret');
    },
  },
  '10-german.feature': {
    language: 'de',
    scenarios: ['Alle Karten werden aufgedeckt', 'Große Streuung'],
    check: (r) => {
      expect(r.feature.keyword).toBe('Funktionalität');
      expect(r.scenarios[0].steps.map((s) => s.keyword)).toEqual(['Wenn', 'Und', 'Dann', 'Aber']);
      expect(r.scenarios[1].steps[0].keyword).toBe('Gegeben sei');
      expect(r.scenarios[1].examples[0].keyword).toBe('Beispiele');
    },
  },
  '11-spanish.feature': {
    language: 'es',
    scenarios: ['Aceptar una historia', 'Rechazar una historia', 'Pedir algo nuevo'],
    check: (r) => {
      expect(r.feature.keyword).toBe('Característica');
      expect(r.feature.background?.keyword).toBe('Antecedentes');
      expect(r.scenarios[1].keyword).toBe('Esquema del escenario');
      expect(r.scenarios[1].steps.map((s) => s.keyword)).toEqual(['Cuando', 'Entonces', 'Pero']);
      expect(r.scenarios[2].rule).toBe('La retroalimentación nueva es un elemento nuevo');
    },
  },
  '12-odd-indentation.feature': {
    scenarios: ['Tabs and spaces', 'No space after the colon'],
    check: (r) => {
      expect(r.feature.name).toBe('Odd   indentation');
      expect(r.scenarios[0].steps.map((s) => s.text)).toEqual([
        'a step indented with tabs',
        'a step indented a lot',
        'a step indented a little',
      ]);
      expect(r.scenarios[1].line).toBe(11);
      expect(r.scenarios[1].steps[0].dataTable).toEqual([
        ['a', 'b'],
        ['1', '2'],
      ]);
    },
  },
  '13-star-and-synonyms.feature': {
    scenarios: ['Star steps', 'Template keyword', 'A scenario with examples is an outline too'],
    check: (r) => {
      expect(r.feature.keyword).toBe('Business Need');
      expect(r.scenarios.map((s) => s.keyword)).toEqual(['Example', 'Scenario Template', 'Scenario']);
      expect(r.scenarios[1].examples[0].keyword).toBe('Scenarios');
      expect(r.scenarios[2].examples[0].rows).toEqual([['2'], ['3']]);
    },
  },
  '14-description-only.feature': {
    scenarios: [],
    check: (r) =>
      expect(r.feature).toMatchObject({ name: 'Not refined yet', tags: ['@draft'], hasFeatureLine: true }),
  },
  '15-unicode.feature': {
    scenarios: ['Emoji and CJK in steps'],
    check: (r) => {
      expect(r.feature.name).toBe('Unicode 🚀 titles');
      expect(r.scenarios[0].steps[0].text).toBe('the title "导出 📦"');
      expect(r.scenarios[0].steps[3].dataTable).toEqual([['naïve', 'café', 'Ærø']]);
    },
  },
};

/** Each malformed fixture and the line its first error must name. */
const invalid: Record<string, { line: number; message: RegExp }> = {
  '01-unclosed-doc-string.feature': {
    line: 5,
    message: /doc string is never closed: end it with a """ line/,
  },
  '02-inconsistent-step-table.feature': { line: 7, message: /Inconsistent cell count/ },
  '03-inconsistent-examples-table.feature': { line: 9, message: /Inconsistent cell count/ },
  '04-unknown-language.feature': { line: 1, message: /Language not supported: xx/ },
  '05-tag-with-space.feature': { line: 3, message: /tag may not contain whitespace/ },
  '06-text-between-steps.feature': {
    line: 5,
    message: /Unexpected "the user clicks save": expected .*a step/,
  },
  '07-background-after-scenario.feature': { line: 6, message: /Unexpected "Background:"/ },
  '08-step-after-examples.feature': { line: 9, message: /Unexpected "Then a step that belongs nowhere"/ },
  '09-dangling-tag.feature': { line: 6, message: /tags are not followed by/ },
  '10-english-in-french.feature': { line: 2, message: /keywords must be in "fr"/ },
  '11-unclosed-backticks.feature': { line: 5, message: /end it with a ``` line/ },
  '12-two-backgrounds.feature': { line: 6, message: /Unexpected "Background:"/ },
};

describe('the Gherkin corpus', () => {
  it('has at least 12 well-formed and 8 malformed fixtures, each with an expectation', () => {
    expect(files('valid').length).toBeGreaterThanOrEqual(12);
    expect(files('invalid').length).toBeGreaterThanOrEqual(8);
    expect(files('valid')).toEqual(Object.keys(valid).sort());
    expect(files('invalid')).toEqual(Object.keys(invalid).sort());
  });

  describe.each(Object.entries(valid))('accepts %s', (name, expected) => {
    const source = read('valid', name);
    it('parses with the expected scenarios and language', () => {
      const r = ok(parseCriteria(source));
      expect(r.scenarios.map((s) => s.name)).toEqual(expected.scenarios);
      expect(r.feature.language).toBe(expected.language ?? 'en');
      expect(r.feature.hasFeatureLine).toBe(true);
      expected.check?.(r);
    });
    it('gives every scenario and step a line that holds its text', () => {
      const lines = source.split(/\r?\n/);
      for (const s of ok(parseCriteria(source)).scenarios) {
        expect(lines[s.line - 1]).toContain(s.keyword);
        for (const step of s.steps) expect(lines[step.line - 1]).toContain(step.text.slice(0, 10));
      }
    });
    it('survives export: the .feature file and a combined file parse to the same criteria', () => {
      const original = ok(parseCriteria(source));
      expect(toFeatureFile({ title: 'ignored', criteriaSource: source }).trimEnd()).toBe(source.trimEnd());
      const combined = ok(
        parseCriteria(combineFeatures([{ title: 'Story', criteriaSource: source }], 'Epic')),
      );
      expect(combined.scenarios.map((s) => s.name)).toEqual(original.scenarios.map((s) => s.name));
      for (const [i, s] of combined.scenarios.entries()) {
        const before = original.scenarios[i];
        const ruleBackground =
          before.ruleIndex === null ? [] : (original.feature.rules[before.ruleIndex].background?.steps ?? []);
        const strip = (x: typeof s.steps) =>
          x.map(({ keyword, text, docString, dataTable }) => ({ keyword, text, docString, dataTable }));
        expect(strip(s.steps)).toEqual(strip([...ruleBackground, ...before.steps]));
        expect(s.examples.map(({ header, rows, tags }) => ({ header, rows, tags }))).toEqual(
          before.examples.map(({ header, rows, tags }) => ({ header, rows, tags })),
        );
      }
    });
  });

  it.each(Object.entries(invalid))('rejects %s at its line', (name, expected) => {
    const r = parseCriteria(read('invalid', name));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].line).toBe(expected.line);
    expect(r.errors[0].message).toMatch(expected.message);
    expect(r.errors[0].message).not.toMatch(/#\w+Line|^\(\d+:\d+\)/); // no raw grammar tokens or positions
  });
});

describe('parseCriteria', () => {
  it('accepts an empty source with zero scenarios', () => {
    for (const source of ['', '   \n\n', '# only a comment\n']) {
      const r = ok(parseCriteria(source));
      expect(r.scenarios).toEqual([]);
      expect(r.feature).toMatchObject({ hasFeatureLine: false, language: 'en', tags: [] });
    }
  });

  it('accepts scenarios without a Feature line and keeps the line numbers of the source', () => {
    const source =
      '@smoke\nScenario: Save\n  Given a form\n  When I save\n  Then it is stored\n\nScenario: Cancel\n  * nothing';
    const r = ok(parseCriteria(source));
    expect(r.feature.hasFeatureLine).toBe(false);
    expect(r.feature.name).toBe('');
    expect(r.scenarios.map((s) => [s.name, s.line, s.tags])).toEqual([
      ['Save', 2, ['@smoke']],
      ['Cancel', 7, []],
    ]);
    expect(r.scenarios[0].steps.map((s) => s.line)).toEqual([3, 4, 5]);
  });

  it('accepts a Background and Rules without a Feature line', () => {
    const r = ok(parseCriteria('Background:\n  Given x\nRule: R\n  Scenario: S\n    Then y'));
    expect(r.feature.background?.steps[0].line).toBe(2);
    expect(r.scenarios[0]).toMatchObject({ rule: 'R', line: 4 });
  });

  it('maps error lines back to the source when no Feature line was written', () => {
    const r = parseCriteria('Scenario: a\n  Given b\n  oops\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 3, column: 3 });
  });

  it('refuses free text where a Feature line would have given it a home', () => {
    const r = parseCriteria('\nThe user can log in\n- with a password\n');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({
        line: 2,
        column: 1,
        message: expect.stringContaining('"The user can log in"'),
      });
    const step = parseCriteria('Given I forgot the scenario line');
    expect(step.ok).toBe(false);
  });

  it('reads # language: without a Feature line, keeping lines', () => {
    const r = ok(parseCriteria('# language: fr\nScénario: Un\n  Soit a\n  Alors b'));
    expect(r.feature.language).toBe('fr');
    expect(r.scenarios[0]).toMatchObject({ keyword: 'Scénario', line: 2 });
    expect(r.scenarios[0].steps.map((s) => s.line)).toEqual([3, 4]);
  });

  it('handles CRLF line endings and a byte-order mark', () => {
    const r = ok(parseCriteria('\uFEFFFeature: F\r\n  Scenario: S\r\n    Given x\r\n    Then y\r\n'));
    expect(r.scenarios[0].steps.map((s) => [s.text, s.line])).toEqual([
      ['x', 3],
      ['y', 4],
    ]);
  });

  it('reports every error the parser finds, in order', () => {
    const r = parseCriteria('Feature: F\n  Scenario: S\n    Given x\n    bad one\n    Then y\n    bad two\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([4, 6]);
  });

  it('numbers scenarios across rules for review checkboxes', () => {
    const r = ok(parseCriteria(read('valid', '08-rules.feature')));
    expect(r.scenarios.map((s) => `${s.index}:${s.name}`)).toEqual([
      '0:A lone link',
      '1:Direct cycle',
      '2:Long cycle',
      '3:Item above its blocker',
    ]);
  });
});

describe('toFeatureFile', () => {
  it('wraps scenarios without a Feature line in one named after the item, indented', () => {
    const text = toFeatureFile({
      title: 'Save  search\npreferences',
      criteriaSource: '# why\n@a\nScenario: S\n  Given x\n\n  Then y\n',
    });
    expect(text).toBe(
      'Feature: Save search preferences\n\n  # why\n  @a\n  Scenario: S\n    Given x\n\n    Then y\n',
    );
    const r = ok(parseCriteria(text));
    expect(r.feature.name).toBe('Save search preferences');
    expect(r.scenarios[0].tags).toEqual(['@a']);
  });
  it('keeps the language line first and uses the localised Feature keyword', () => {
    const text = toFeatureFile({
      title: 'Vote',
      criteriaSource: '# language: de\nSzenario: S\n  Angenommen x',
    });
    expect(text.split('\n').slice(0, 3)).toEqual(['# language: de', 'Funktionalität: Vote', '']);
    expect(ok(parseCriteria(text)).feature).toMatchObject({
      language: 'de',
      name: 'Vote',
      hasFeatureLine: true,
    });
  });
  it('keeps doc string content identical when indenting', () => {
    const source = 'Scenario: S\n  Given text:\n    """\n    line one\n      indented\n    """';
    const text = toFeatureFile({ title: 'T', criteriaSource: source });
    expect(ok(parseCriteria(text)).scenarios[0].steps[0].docString?.content).toBe('line one\n  indented');
  });
  it('gives an empty item a valid file with no scenarios', () => {
    expect(toFeatureFile({ title: 'Empty', criteriaSource: '' })).toBe('Feature: Empty\n');
    const commented = toFeatureFile({ title: 'Empty', criteriaSource: '# todo\n' });
    expect(commented).toBe('# todo\nFeature: Empty\n');
    expect(ok(parseCriteria(commented)).feature).toMatchObject({ name: 'Empty', hasFeatureLine: true });
    expect(ok(parseCriteria(commented)).scenarios).toEqual([]);
  });
  it('returns a source with its own Feature line as written, with one final newline', () => {
    expect(toFeatureFile({ title: 'x', criteriaSource: 'Feature: Own\n  Scenario: S\n\n\n' })).toBe(
      'Feature: Own\n  Scenario: S\n',
    );
  });
});

describe('featureFileName', () => {
  it('makes a safe ASCII slug', () => {
    expect(featureFileName('Save search preferences')).toBe('save-search-preferences.feature');
    expect(featureFileName('Épic: Ärger/über "quotes" & <tags>')).toBe('epic-arger-uber-quotes-tags.feature');
    expect(featureFileName('../../etc/passwd')).toBe('etc-passwd.feature');
  });
  it('falls back when nothing is left and caps the length', () => {
    expect(featureFileName('📦 ✨')).toBe('acceptance-criteria.feature');
    expect(featureFileName('')).toBe('acceptance-criteria.feature');
    const long = featureFileName('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(80 + '.feature'.length);
    expect(long).not.toMatch(/-\.feature$/);
  });
  it('keeps names unique inside one zip', () => {
    expect(featureFileNames(['Login', 'login', 'Login!', 'Other'])).toEqual([
      'login.feature',
      'login-2.feature',
      'login-3.feature',
      'other.feature',
    ]);
  });
});

describe('combineFeatures', () => {
  const login = {
    title: 'Log in',
    criteriaSource: 'Scenario: Right password\n  Given an account\n  When I log in\n  Then I see my backlog',
  };
  const logout = {
    title: 'Log out',
    criteriaSource:
      '@security\nFeature: Leave\n  Background:\n    Given I am logged in\n  Scenario: Button\n    When I log out\n    Then I see the login page',
  };

  it('writes one Feature with each story as a Rule', () => {
    const text = combineFeatures([login, logout], 'Accounts');
    const r = ok(parseCriteria(text));
    expect(r.feature.name).toBe('Accounts');
    expect(r.feature.rules.map((x) => [x.name, x.tags])).toEqual([
      ['Log in', []],
      ['Log out', ['@security']],
    ]);
    expect(r.scenarios.map((s) => `${s.rule}/${s.name}`)).toEqual([
      'Log in/Right password',
      'Log out/Button',
    ]);
    expect(r.feature.rules[1].background?.steps[0].text).toBe('I am logged in');
  });

  it('keeps a shared language and its keywords', () => {
    const a = { title: 'Un', criteriaSource: '# language: fr\nScénario: A\n  Soit x\n  Mais y' };
    const b = { title: 'Deux', criteriaSource: read('valid', '09-french.feature') };
    const text = combineFeatures([a, b], 'Épopée');
    expect(text.startsWith('# language: fr\nFonctionnalité: Épopée\n')).toBe(true);
    expect(text).toContain('Règle: Un');
    const r = ok(parseCriteria(text));
    expect(r.feature.language).toBe('fr');
    expect(r.scenarios).toHaveLength(4);
    expect(r.scenarios[0].steps.map((s) => s.keyword)).toEqual(['Soit', 'Mais']);
  });

  it('writes mixed languages in English, keeping And versus But', () => {
    const fr = { title: 'FR', criteriaSource: '# language: fr\nScénario: A\n  Soit x\n  Et y\n  Mais z' };
    const de = { title: 'DE', criteriaSource: read('valid', '10-german.feature') };
    const r = ok(parseCriteria(combineFeatures([fr, de, login])));
    expect(r.feature.language).toBe('en');
    expect(r.scenarios[0].steps.map((s) => s.keyword)).toEqual(['Given', 'And', 'But']);
    expect(r.scenarios[2]).toMatchObject({ keyword: 'Scenario Outline', name: 'Große Streuung' });
    expect(r.scenarios[2].examples[0].keyword).toBe('Examples');
    expect(r.feature.rules[1].background?.keyword).toBe('Background');
    expect(r.scenarios).toHaveLength(4);
  });

  it('escapes table cells and doc string delimiters so they read back the same', () => {
    const tricky = {
      title: 'Tricky',
      criteriaSource: [
        'Scenario: S',
        '  Given a table:',
        '    | a\\|b | c\\\\d | e\\nf |',
        '  And a text:',
        '    """',
        '    \\"\\"\\" inside',
        '    """',
      ].join('\n'),
    };
    const before = ok(parseCriteria(tricky.criteriaSource)).scenarios[0].steps;
    const after = ok(parseCriteria(combineFeatures([tricky]))).scenarios[0].steps;
    expect(before[0].dataTable).toEqual([['a|b', 'c\\d', 'e\nf']]);
    expect(after[0].dataTable).toEqual(before[0].dataTable);
    expect(after[1].docString?.content).toBe('""" inside');
  });

  it('keeps criteria that do not parse as comments instead of dropping them', () => {
    const broken = { title: 'Broken', criteriaSource: 'Scenario: x\n  Given y\n  garbage' };
    const text = combineFeatures([login, broken]);
    expect(text).toContain('# "Broken": criteria do not parse (line 3');
    expect(text).toContain('  #   garbage');
    expect(ok(parseCriteria(text)).scenarios).toHaveLength(1);
  });

  it('gives an epic without stories a valid empty file', () => {
    expect(ok(parseCriteria(combineFeatures([], 'Empty epic'))).feature.name).toBe('Empty epic');
  });
});
