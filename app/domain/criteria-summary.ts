import type { ParsedCriteria } from './gherkin';

/** One acceptance criterion as the item page lists it. */
export interface ScenarioSummary {
  index: number;
  keyword: string;
  name: string;
  line: number;
  steps: number;
  examples: number;
  rule: string | null;
}

/**
 * The criteria list of an item from a parse of its Gherkin: one entry per scenario. The server builds it from the
 * stored text, the item page from the live text as it is typed, so both say the same. Null when the text does not
 * parse (the item then keeps its last valid criteria).
 */
export function summariseScenarios(parsed: ParsedCriteria): ScenarioSummary[] | null {
  if (!parsed.ok) return null;
  return parsed.scenarios.map((s) => ({
    index: s.index,
    keyword: s.keyword,
    name: s.name,
    line: s.line,
    steps: s.steps.length,
    examples: s.examples.reduce((n, e) => n + e.rows.length, 0),
    rule: s.rule,
  }));
}
