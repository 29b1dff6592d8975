import { describe, expect, it } from 'vitest';
import { summariseScenarios } from './criteria-summary';
import { parseCriteria } from './gherkin';

describe('criteria summary', () => {
  it('lists each scenario with its steps, examples and rule', () => {
    const summary = summariseScenarios(
      parseCriteria(
        [
          'Scenario: Book a slot',
          '  Given a free slot',
          '  When I book it',
          '  Then it is mine',
          '',
          'Rule: Cancelling',
          '  Scenario Outline: Cancel <when>',
          '    Given a booking',
          '    When I cancel <when>',
          '    Then I pay <fee>',
          '    Examples:',
          '      | when  | fee |',
          '      | early | 0   |',
          '      | late  | 10  |',
        ].join('\n'),
      ),
    );
    expect(summary).toEqual([
      { index: 0, keyword: 'Scenario', name: 'Book a slot', line: 1, steps: 3, examples: 0, rule: null },
      {
        index: 1,
        keyword: 'Scenario Outline',
        name: 'Cancel <when>',
        line: 7,
        steps: 3,
        examples: 2,
        rule: 'Cancelling',
      },
    ]);
  });

  it('is empty without scenarios and null when the text does not parse', () => {
    expect(summariseScenarios(parseCriteria(''))).toEqual([]);
    expect(summariseScenarios(parseCriteria('Scenario: x\n  Given a\n  Nonsense here'))).toBeNull();
  });
});
