import type { z } from 'zod';
import { humanise } from './form-submission';

export { humanise };

/**
 * Reads a form's fields as the input of a zod schema: the schema says which fields exist and what type each has,
 * so numbers, booleans and arrays arrive as numbers, booleans and arrays. Then the schema validates them.
 *
 * Field names: `estimate`, `children.0.title` or `children[0][title]` (rows may be numbered with gaps, e.g. after
 * a row was removed: they are taken in order), and a repeated name (`agenda` several times, as checkboxes send it)
 * for an array of plain values. Fields the schema does not know (such as `command`) are left out, so a strict
 * schema never refuses a form for carrying its own bookkeeping.
 *
 * Conversions: an empty text is "not given" (null where the schema allows null, else left out, so a default
 * applies); a number must look like one ("3", "-2", "1.5"); a boolean is true/on/1/yes or false/off/0/no, and a
 * required boolean that is absent is false (an unticked checkbox sends nothing).
 */

export type FormInputResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      /** the top-level field to show the message next to ("form" when it concerns the whole form) */
      field: string;
      /** where exactly, e.g. "children.1.title" */
      path: string;
      message: string;
    };

// Zod's definitions, as far as this reader needs them. Zod 4 exposes them on `schema.def`.
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  /** a literal's allowed values (zod 4) */
  values?: unknown[];
}
interface Schema {
  def: Def;
}

/** A field's base schema, with what its wrappers allow: leaving it out, and null. */
function unwrap(schema: Schema): { base: Schema; optional: boolean; nullable: boolean } {
  let current = schema;
  let optional = false;
  let nullable = false;
  for (let depth = 0; depth < 20; depth++) {
    const { def } = current;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') optional = true;
    else if (def.type === 'nullable') nullable = true;
    else if (
      def.type !== 'readonly' &&
      def.type !== 'catch' &&
      def.type !== 'nonoptional' &&
      def.type !== 'pipe'
    )
      break;
    if (def.type === 'nonoptional') optional = false;
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (!next) break;
    current = next;
  }
  return { base: current, optional, nullable };
}

/** `children[0][title]` → `children.0.title`. */
export function normaliseName(name: string): string {
  return name.replace(/\[([^\]]*)\]/g, '.$1').replace(/\.$/, '');
}

class FieldProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const truthy = new Set(['true', 'on', '1', 'yes']);
const falsy = new Set(['false', 'off', '0', 'no']);
const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

type Fields = Map<string, string[]>;

function read(schema: Schema, path: string, fields: Fields): unknown {
  const { base, optional, nullable } = unwrap(schema);
  const { type } = base.def;
  const missing = () => (optional ? undefined : nullable ? null : undefined);

  if (type === 'object' && base.def.shape) {
    const prefix = path ? `${path}.` : '';
    const present = [...fields.keys()].some((k) => k.startsWith(prefix));
    if (!present && path && (optional || nullable)) return missing();
    const value: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(base.def.shape)) {
      const v = read(child, `${prefix}${key}`, fields);
      if (v !== undefined) value[key] = v;
    }
    return value;
  }

  if (type === 'array' && base.def.element) {
    const element = base.def.element;
    const indexed = new Set<number>();
    const rowPattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)(\\.|$)`);
    for (const key of fields.keys()) {
      const match = rowPattern.exec(key);
      if (match) indexed.add(Number(match[1]));
    }
    const repeated = (fields.get(path) ?? []).filter((v) => v !== '');
    if (indexed.size === 0 && repeated.length === 0) {
      return fields.has(path) ? [] : optional ? undefined : nullable ? null : [];
    }
    const rows = [...indexed].sort((a, b) => a - b).map((i) => read(element, `${path}.${i}`, fields));
    const plain = repeated.map((v) => convert(element, path, v));
    return [...plain, ...rows];
  }

  const values = fields.get(path);
  if (!values || values.length === 0) {
    if (type === 'boolean' && !optional && !nullable) return false;
    return missing();
  }
  const raw = values[values.length - 1];
  if (raw === '' || (raw.trim() === '' && (type === 'number' || type === 'boolean'))) {
    if (nullable) return null;
    if (optional) return undefined;
    return type === 'number' || type === 'boolean' ? undefined : raw;
  }
  return convert(schema, path, raw);
}

function convert(schema: Schema, path: string, raw: string): unknown {
  const { base } = unwrap(schema);
  switch (base.def.type) {
    case 'number': {
      const text = raw.trim();
      if (!numberPattern.test(text)) throw new FieldProblem(path, `${humanise(path)} must be a number`);
      return Number(text);
    }
    case 'boolean': {
      const text = raw.trim().toLowerCase();
      if (truthy.has(text)) return true;
      if (falsy.has(text)) return false;
      throw new FieldProblem(path, `${humanise(path)} must be yes or no`);
    }
    case 'literal': {
      // A choice of numbers (e.g. the WSJF scale 1, 2, 3, 5, 8, 13, 20) arrives as a number; other literals as text.
      const text = raw.trim();
      const numeric = (base.def.values ?? []).every((v) => typeof v === 'number');
      return numeric && numberPattern.test(text) ? Number(text) : raw;
    }
    default:
      return raw;
  }
}

function collect(form: FormData): Fields {
  const fields: Fields = new Map();
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string') continue; // files are never command input
    const key = normaliseName(name);
    const list = fields.get(key);
    if (list) list.push(value);
    else fields.set(key, [value]);
  }
  return fields;
}

/** The schema's input read from the form, without validating it (see `parseFormInput`). */
export function readFormInput(schema: z.ZodType, form: FormData): unknown {
  return read(schema as unknown as Schema, '', collect(form));
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Reads the form as the schema's input and validates it; the first problem comes back with its field. */
export function parseFormInput<S extends z.ZodType>(schema: S, form: FormData): FormInputResult<z.output<S>> {
  let input: unknown;
  try {
    input = readFormInput(schema, form);
  } catch (error) {
    if (error instanceof FieldProblem)
      return {
        ok: false,
        field: error.path.split('.')[0] || 'form',
        path: error.path,
        message: error.message,
      };
    throw error;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String).join('.');
  const absent = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
  const message = absent && path ? `${humanise(path)} is required` : issue.message;
  return { ok: false, field: String(issue.path[0] ?? 'form'), path: path || 'form', message };
}
