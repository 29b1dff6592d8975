/**
 * The JQL subset the stand-in answers, checked against its data the way Jira checks it: a project or issue key that
 * does not exist is an error (a warning under `validateQuery=warn`), not an empty result.
 *
 * Searchable: project, key (issuekey, id), parent, "Epic Link", status, statusCategory, issuetype (type), labels,
 * summary (~), updated, created. Sortable: Rank, updated, created, key, summary, status, priority.
 */
import { findIssueType, findStatus, statusById, statusCategories, statuses } from './catalog';
import { type Clause, type Condition, JqlError, type Operand, type Operator, parseJql } from './jql-syntax';
import { compareRanks } from './ranks';
import type { Issue, StandinState } from './state';
import { parseJqlDate } from './time';

export { JqlError } from './jql-syntax';

type Field =
  | 'project'
  | 'key'
  | 'parent'
  | 'epicLink'
  | 'status'
  | 'statusCategory'
  | 'issuetype'
  | 'labels'
  | 'summary'
  | 'updated'
  | 'created'
  | 'rank'
  | 'priority';

const ALIASES: Record<string, Field> = {
  project: 'project',
  key: 'key',
  issuekey: 'key',
  issue: 'key',
  id: 'key',
  parent: 'parent',
  'epic link': 'epicLink',
  'cf[10014]': 'epicLink',
  status: 'status',
  statuscategory: 'statusCategory',
  issuetype: 'issuetype',
  type: 'issuetype',
  labels: 'labels',
  summary: 'summary',
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
  rank: 'rank',
  'cf[10019]': 'rank',
  priority: 'priority',
};

/** Fields a real Jira searches that the stand-in does not: a clear 400 rather than a silent wrong answer. */
const NOT_SUPPORTED = new Set([
  'assignee',
  'reporter',
  'sprint',
  'resolution',
  'resolved',
  'text',
  'description',
  'comment',
  'component',
  'fixversion',
  'story points',
  'cf[10016]',
  'due',
  'duedate',
]);

const OPERATORS: Record<Field, Operator[]> = {
  project: ['=', '!=', 'IN', 'NOT IN'],
  key: ['=', '!=', 'IN', 'NOT IN'],
  parent: ['=', '!=', 'IN', 'NOT IN'],
  epicLink: ['=', '!=', 'IN', 'NOT IN', 'IS', 'IS NOT'],
  status: ['=', '!=', 'IN', 'NOT IN'],
  statusCategory: ['=', '!=', 'IN', 'NOT IN'],
  issuetype: ['=', '!=', 'IN', 'NOT IN'],
  labels: ['=', '!=', 'IN', 'NOT IN', 'IS', 'IS NOT'],
  summary: ['~', '!~', 'IS', 'IS NOT'],
  updated: ['=', '!=', '>', '>=', '<', '<=', 'IS', 'IS NOT'],
  created: ['=', '!=', '>', '>=', '<', '<=', 'IS', 'IS NOT'],
  rank: [],
  priority: [],
};

export interface PreparedJql {
  matches: (issue: Issue) => boolean;
  compare: (a: Issue, b: Issue) => number;
  /** whether the query restricts the search at all (Jira Cloud's enhanced search refuses unbounded queries) */
  bounded: boolean;
  /** whether the query has an ORDER BY of its own */
  ordered: boolean;
  warnings: string[];
}

export interface JqlOptions {
  now: number;
  /** whether the searching account may browse projects: without it, nothing exists */
  canBrowse: boolean;
  /** `validateQuery=warn`: values that do not exist become warnings */
  lenient?: boolean;
}

type Predicate = (issue: Issue) => boolean;
type Value = { kind: 'empty' } | { kind: 'some'; test: Predicate } | { kind: 'none' };

function resolveField(written: string, errors: string[], ordering: boolean): Field | null {
  const name = written.toLowerCase();
  const field = ALIASES[name];
  if (field && (ordering || OPERATORS[field].length > 0)) return field;
  if (field === 'rank') errors.push("Field 'rank' does not support searching, it only supports ordering.");
  else if (field || NOT_SUPPORTED.has(name)) {
    errors.push(`Field '${written}' is not supported by the Jira stand-in (scripts/jira-standin/jql.ts).`);
  } else errors.push(`Field '${written}' does not exist or you do not have permission to view it.`);
  return null;
}

class Compiler {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  constructor(
    private readonly state: StandinState,
    private readonly options: JqlOptions,
  ) {}

  private missing(message: string): Value {
    (this.options.lenient ? this.warnings : this.errors).push(message);
    return { kind: 'none' };
  }

  condition(node: Condition): Predicate {
    if (node.kind === 'and' || node.kind === 'or') {
      const [l, r] = [this.condition(node.left), this.condition(node.right)];
      return node.kind === 'and' ? (issue) => l(issue) && r(issue) : (issue) => l(issue) || r(issue);
    }
    if (node.kind === 'not') {
      const inner = this.condition(node.condition);
      return (issue) => !inner(issue);
    }
    return this.clause(node);
  }

  private clause(clause: Clause): Predicate {
    const field = resolveField(clause.field, this.errors, false);
    if (!field) return () => false;
    if (!OPERATORS[field].includes(clause.op)) {
      this.errors.push(`The operator '${clause.op}' is not supported by the '${clause.field}' field.`);
      return () => false;
    }
    const values = clause.operands.map((operand) => this.value(field, clause, operand));
    if (['>', '>=', '<', '<='].includes(clause.op)) return this.comparison(field, clause);
    const matchesAny = (issue: Issue) =>
      values.some((value) =>
        value.kind === 'empty' ? isEmpty(field, issue) : value.kind === 'some' && value.test(issue),
      );
    const negated =
      clause.op === '!=' || clause.op === 'NOT IN' || clause.op === 'IS NOT' || clause.op === '!~';
    return negated ? (issue) => !matchesAny(issue) : matchesAny;
  }

  private comparison(field: Field, clause: Clause): Predicate {
    const at = this.date(clause, clause.operands[0]);
    if (at === null) return () => false;
    const of = (issue: Issue) => (field === 'updated' ? issue.updated : issue.created);
    switch (clause.op) {
      case '>':
        return (issue) => of(issue) > at;
      case '>=':
        return (issue) => of(issue) >= at;
      case '<':
        return (issue) => of(issue) < at;
      default:
        return (issue) => of(issue) <= at;
    }
  }

  private date(clause: Clause, operand: Operand): number | null {
    if (operand.kind === 'function') {
      if (operand.name.toLowerCase() === 'now') return this.options.now;
      this.errors.push(`Unable to find JQL function '${operand.name}()'.`);
      return null;
    }
    if (operand.kind === 'empty') return null;
    const ms = parseJqlDate(operand.value, this.options.now);
    if (ms === null) {
      this.errors.push(
        `Date value '${operand.value}' for field '${clause.field}' is invalid. Valid formats include: ` +
          "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
      );
    }
    return ms;
  }

  private value(field: Field, clause: Clause, operand: Operand): Value {
    if (operand.kind === 'empty') return { kind: 'empty' };
    if (operand.kind === 'function') {
      if ((field === 'updated' || field === 'created') && operand.name.toLowerCase() === 'now') {
        const at = this.options.now;
        return {
          kind: 'some',
          test: (issue) => (field === 'updated' ? issue.updated : issue.created) === at,
        };
      }
      this.errors.push(`Unable to find JQL function '${operand.name}()'.`);
      return { kind: 'none' };
    }
    const text = operand.value;
    const visible = this.options.canBrowse;
    switch (field) {
      case 'project': {
        const project = visible ? this.state.project(text) : undefined;
        if (!project)
          return this.missing(`The value '${text}' does not exist for the field '${clause.field}'.`);
        return { kind: 'some', test: (issue) => issue.projectId === project.id };
      }
      case 'key':
      case 'parent':
      case 'epicLink': {
        if (!/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(text) && !/^\d+$/.test(text)) {
          this.errors.push(`The issue key '${text}' for field '${clause.field}' is invalid.`);
          return { kind: 'none' };
        }
        const target = visible ? this.state.issue(text) : undefined;
        if (!target)
          return this.missing(`An issue with key '${text}' does not exist for field '${clause.field}'.`);
        if (field === 'key') return { kind: 'some', test: (issue) => issue.id === target.id };
        return { kind: 'some', test: (issue) => issue.parentId === target.id };
      }
      case 'status': {
        const status = findStatus(text);
        if (!status)
          return this.missing(`The value '${text}' does not exist for the field '${clause.field}'.`);
        return { kind: 'some', test: (issue) => issue.statusId === status.id };
      }
      case 'statusCategory': {
        const category = Object.values(statusCategories).find(
          (c) =>
            c.key === text.toLowerCase() ||
            c.name.toLowerCase() === text.toLowerCase() ||
            String(c.id) === text,
        );
        if (!category)
          return this.missing(`The value '${text}' does not exist for the field '${clause.field}'.`);
        return { kind: 'some', test: (issue) => statusById(issue.statusId)?.category === category.key };
      }
      case 'issuetype': {
        const type = findIssueType(text);
        if (!type) return this.missing(`The value '${text}' does not exist for the field '${clause.field}'.`);
        return { kind: 'some', test: (issue) => issue.typeId === type.id };
      }
      case 'labels':
        return { kind: 'some', test: (issue) => issue.labels.includes(text) };
      case 'summary': {
        const words = text.toLowerCase().split(/\s+/).filter(Boolean);
        return {
          kind: 'some',
          test: (issue) =>
            words.every((word) => issue.summary.toLowerCase().includes(word.replace(/\*$/, ''))),
        };
      }
      default: {
        const at = this.date(clause, operand);
        if (at === null) return { kind: 'none' };
        return {
          kind: 'some',
          test: (issue) => (field === 'updated' ? issue.updated : issue.created) === at,
        };
      }
    }
  }

  order(keys: { field: string; direction: 'ASC' | 'DESC' }[]): (a: Issue, b: Issue) => number {
    const comparers = keys.flatMap(({ field: written, direction }) => {
      const field = resolveField(written, this.errors, true);
      const compare = field ? this.comparer(field, written) : null;
      if (!compare) return [];
      const sign = direction === 'DESC' ? -1 : 1;
      return [(a: Issue, b: Issue) => sign * compare(a, b)];
    });
    // Without ORDER BY, newest issues first; ties always broken by id so pages are stable.
    if (keys.length === 0) comparers.push((a, b) => Number(b.id) - Number(a.id));
    comparers.push((a, b) => Number(a.id) - Number(b.id));
    return (a, b) => {
      for (const compare of comparers) {
        const result = compare(a, b);
        if (result !== 0) return result;
      }
      return 0;
    };
  }

  private comparer(field: Field, written: string): ((a: Issue, b: Issue) => number) | null {
    switch (field) {
      case 'rank':
        return (a, b) => compareRanks(a.rank, b.rank);
      case 'updated':
        return (a, b) => a.updated - b.updated;
      case 'created':
        return (a, b) => a.created - b.created;
      case 'key':
        return (a, b) => {
          const [pa, na] = splitKey(a.key);
          const [pb, nb] = splitKey(b.key);
          return pa === pb ? na - nb : pa < pb ? -1 : 1;
        };
      case 'summary':
        return (a, b) => a.summary.localeCompare(b.summary);
      case 'status':
        return (a, b) => statusIndex(a.statusId) - statusIndex(b.statusId);
      case 'priority':
        return (a, b) => Number(a.priorityId) - Number(b.priorityId);
      default:
        this.errors.push(`Field '${written}' is not supported by the Jira stand-in for ordering.`);
        return null;
    }
  }
}

function isEmpty(field: Field, issue: Issue): boolean {
  if (field === 'labels') return issue.labels.length === 0;
  if (field === 'epicLink') return issue.parentId === null;
  if (field === 'summary') return issue.summary === '';
  return false;
}

const splitKey = (key: string): [string, number] => {
  const dash = key.lastIndexOf('-');
  return [key.slice(0, dash), Number(key.slice(dash + 1))];
};

const statusIndex = (id: string) => statuses.findIndex((status) => status.id === id);

/** Reads and checks a query; throws JqlError with Jira's error messages when Jira would answer 400. */
export function prepareJql(jql: string, state: StandinState, options: JqlOptions): PreparedJql {
  const query = parseJql(jql);
  const compiler = new Compiler(state, options);
  const matches = query.where ? compiler.condition(query.where) : () => true;
  const compare = compiler.order(query.orderBy);
  if (compiler.errors.length > 0) throw new JqlError(compiler.errors);
  return {
    matches,
    compare,
    bounded: query.where !== null,
    ordered: query.orderBy.length > 0,
    warnings: compiler.warnings,
  };
}
