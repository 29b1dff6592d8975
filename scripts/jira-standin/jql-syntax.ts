/**
 * JQL's syntax, the part the stand-in reads: clauses `field op value`, lists, `AND`/`OR`/`NOT`, parentheses,
 * functions without arguments, and `ORDER BY field [ASC|DESC], ...`. Errors read like Jira's own.
 */

/** A query Jira would refuse; `messages` are its `errorMessages`. */
export class JqlError extends Error {
  readonly messages: string[];

  constructor(messages: string | string[]) {
    const list = typeof messages === 'string' ? [messages] : messages;
    super(list.join(' '));
    this.messages = list;
  }
}

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'IN' | 'NOT IN' | 'IS' | 'IS NOT';

export type Operand =
  | { kind: 'value'; value: string; position: number }
  | { kind: 'function'; name: string; position: number }
  | { kind: 'empty'; position: number };

export interface Clause {
  kind: 'clause';
  /** the field as written */
  field: string;
  op: Operator;
  operands: Operand[];
  position: number;
}

export type Condition =
  | Clause
  | { kind: 'and'; left: Condition; right: Condition }
  | { kind: 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition };

export interface SortKey {
  field: string;
  direction: 'ASC' | 'DESC';
  position: number;
}

export interface JqlQuery {
  where: Condition | null;
  orderBy: SortKey[];
}

type Token =
  | { type: 'word'; text: string; position: number }
  | { type: 'string'; text: string; position: number }
  | { type: 'op'; text: string; position: number }
  | { type: 'punct'; text: '(' | ')' | ','; position: number };

const OPERATORS_HINT =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";
const RESERVED = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'EMPTY', 'NULL', 'ORDER', 'BY', 'ASC', 'DESC']);

const at = (position: number) => `(line 1, character ${position + 1})`;
const fail = (message: string, position: number): never => {
  throw new JqlError(`Error in the JQL Query: ${message} ${at(position)}`);
};

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, position: i++ });
    } else if (c === '"' || c === "'") {
      const start = i++;
      let text = '';
      while (i < jql.length && jql[i] !== c) {
        if (jql[i] === '\\' && i + 1 < jql.length) i++;
        text += jql[i++];
      }
      if (i >= jql.length) fail(`The quoted string '${text}' has not been completed.`, start);
      i++;
      tokens.push({ type: 'string', text, position: start });
    } else if ('=!<>~'.includes(c)) {
      const two = jql.slice(i, i + 2);
      const text = ['!=', '!~', '>=', '<='].includes(two) ? two : c;
      if (text === '!') fail("Expecting operator but got '!'.", i);
      tokens.push({ type: 'op', text, position: i });
      i += text.length;
    } else {
      const start = i;
      while (i < jql.length && !/[\s(),"'=!<>~]/.test(jql[i])) i++;
      tokens.push({ type: 'word', text: jql.slice(start, i), position: start });
    }
  }
  return tokens;
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private describe(token: Token | undefined): string {
    return token ? token.text : 'EOF';
  }

  private position(token: Token | undefined): number {
    return token ? token.position : this.length;
  }

  private isWord(word: string, offset = 0): boolean {
    const token = this.tokens[this.index + offset];
    return token?.type === 'word' && token.text.toUpperCase() === word;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token?.type === 'punct' && token.text === text;
  }

  parse(): JqlQuery {
    let where: Condition | null = null;
    if (this.peek() && !this.isWord('ORDER')) where = this.parseOr();
    const orderBy: SortKey[] = [];
    if (this.isWord('ORDER')) {
      this.index++;
      if (!this.isWord('BY'))
        fail(`Expecting 'BY' but got '${this.describe(this.peek())}'.`, this.position(this.peek()));
      this.index++;
      do {
        if (orderBy.length > 0) this.index++;
        const field = this.peek();
        if (!field || field.type === 'punct' || field.type === 'op' || this.isReserved(field)) {
          fail(`Expecting a field name but got '${this.describe(field)}'.`, this.position(field));
        }
        this.index++;
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (this.isWord('ASC') || this.isWord('DESC'))
          direction = this.tokens[this.index++].text.toUpperCase() as 'ASC';
        orderBy.push({ field: field!.text, direction, position: field!.position });
      } while (this.isPunct(','));
    }
    const rest = this.peek();
    if (rest) {
      const expected =
        orderBy.length > 0 ? "Expecting ',' but got" : "Expecting either 'OR' or 'AND' but got";
      fail(`${expected} '${rest.text}'.`, rest.position);
    }
    return { where, orderBy };
  }

  private isReserved(token: Token): boolean {
    return token.type === 'word' && RESERVED.has(token.text.toUpperCase());
  }

  private parseOr(): Condition {
    let left = this.parseAnd();
    while (this.isWord('OR')) {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Condition {
    let left = this.parseNot();
    while (this.isWord('AND')) {
      this.index++;
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Condition {
    if (this.isWord('NOT')) {
      this.index++;
      return { kind: 'not', condition: this.parseNot() };
    }
    if (this.isPunct('(')) {
      this.index++;
      const inner = this.parseOr();
      if (!this.isPunct(')')) {
        fail(`Expecting ')' but got '${this.describe(this.peek())}'.`, this.position(this.peek()));
      }
      this.index++;
      return inner;
    }
    return this.parseClause();
  }

  private parseClause(): Clause {
    const field = this.peek();
    if (!field || field.type === 'punct' || field.type === 'op' || this.isReserved(field)) {
      return fail(`Expecting a field name but got '${this.describe(field)}'.`, this.position(field));
    }
    this.index++;
    const op = this.parseOperator();
    const operands = op === 'IN' || op === 'NOT IN' ? this.parseList() : [this.parseOperand(op)];
    return { kind: 'clause', field: field.text, op, operands, position: field.position };
  }

  private parseOperator(): Operator {
    const token = this.peek();
    if (token?.type === 'op') {
      this.index++;
      return token.text as Operator;
    }
    if (this.isWord('IN')) {
      this.index++;
      return 'IN';
    }
    if (this.isWord('NOT') && this.isWord('IN', 1)) {
      this.index += 2;
      return 'NOT IN';
    }
    if (this.isWord('IS')) {
      this.index++;
      if (this.isWord('NOT')) {
        this.index++;
        return 'IS NOT';
      }
      return 'IS';
    }
    return fail(
      `Expecting operator but got '${this.describe(token)}'. ${OPERATORS_HINT}`,
      this.position(token),
    );
  }

  private parseList(): Operand[] {
    if (!this.isPunct('(')) {
      fail(`Expecting '(' but got '${this.describe(this.peek())}'.`, this.position(this.peek()));
    }
    this.index++;
    const operands: Operand[] = [];
    do {
      if (operands.length > 0) this.index++;
      operands.push(this.parseOperand('IN'));
    } while (this.isPunct(','));
    if (!this.isPunct(')')) {
      fail(`Expecting ')' but got '${this.describe(this.peek())}'.`, this.position(this.peek()));
    }
    this.index++;
    return operands;
  }

  private parseOperand(op: Operator): Operand {
    const token = this.peek();
    const position = this.position(token);
    if (token?.type === 'string') {
      this.index++;
      return { kind: 'value', value: token.text, position };
    }
    if (token?.type === 'word' && (this.isWord('EMPTY') || this.isWord('NULL'))) {
      this.index++;
      return { kind: 'empty', position };
    }
    if (op === 'IS' || op === 'IS NOT') {
      return fail(`Expecting 'EMPTY' or 'NULL' but got '${this.describe(token)}'.`, position);
    }
    if (token?.type === 'word' && !this.isReserved(token)) {
      this.index++;
      if (this.isPunct('(')) {
        this.index++;
        if (!this.isPunct(')')) {
          fail(`Expecting ')' but got '${this.describe(this.peek())}'.`, this.position(this.peek()));
        }
        this.index++;
        return { kind: 'function', name: token.text, position };
      }
      return { kind: 'value', value: token.text, position };
    }
    return fail(`Expecting either a value, list or function but got '${this.describe(token)}'.`, position);
  }
}

/** Reads a JQL query; a syntax error is a JqlError with Jira's message. */
export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql), jql.length).parse();
}
