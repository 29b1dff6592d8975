import { describe, expect, it } from 'vitest';
import { JqlError, parseJql } from './jql-syntax';

describe('JQL syntax errors read like Jira’s', () => {
  const message = (jql: string) => {
    try {
      parseJql(jql);
    } catch (error) {
      if (error instanceof JqlError) return error.messages[0];
      throw error;
    }
    return null;
  };

  it('names what it expected and where', () => {
    expect(message('project REF')).toBe(
      "Error in the JQL Query: Expecting operator but got 'REF'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)",
    );
    expect(message('project = "REF')).toBe(
      "Error in the JQL Query: The quoted string 'REF' has not been completed. (line 1, character 11)",
    );
    expect(message('key in (A-1, )')).toContain("Expecting either a value, list or function but got ')'");
    expect(message('project = REF REF')).toContain("Expecting either 'OR' or 'AND' but got 'REF'");
    expect(message('project = REF ORDER Rank')).toContain("Expecting 'BY' but got 'Rank'");
    expect(message('(project = REF')).toContain("Expecting ')' but got 'EOF'");
    expect(
      message('project = REF AND NOT (labels IS EMPTY OR key in (A-1)) ORDER BY Rank ASC, updated DESC'),
    ).toBeNull();
  });
});
