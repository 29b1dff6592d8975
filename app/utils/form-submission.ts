import type { Submission, SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { configureCoercion } from '@conform-to/zod/v4/future';
import { z } from 'zod';

/**
 * The one form pipeline (decision 0035): an action reads its form with `parseFormSubmission` (Conform's
 * `parseWithZod` around the command's own zod schema) and answers `{ result: submission.reply() }`; the page hands
 * `result` to Conform's `useForm` and shows each field's errors with `Field` / `ErrorList` (~/components/forms).
 *
 * How a form's text becomes the schema's input (Conform's coercion, with the product's rules):
 * - an empty field is "not given" where the schema allows that (a default applies); an empty required text reaches
 *   its schema as "", for the schema's own message ("Give the sprint a name"); other required fields say in words
 *   that they are required;
 * - a number must look like one (" 8 ", "-2", "1.5"), else "<Field> must be a number";
 * - a yes/no is true/on/1/yes or false/off/0/no (a ticked checkbox sends "on"), else "<Field> must be yes or no";
 * - fields an object schema does not know (`intent`, `redirectTo`) are left out, so a strict schema never refuses
 *   a form for carrying its own bookkeeping.
 * Each field keeps its first message: one reason at a time, beside the field.
 */

/** What every form action answers: Conform's reply (field errors, form errors, the values to show again). */
export type FormReply = SubmissionResult<string[]>;

const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const truthy = new Set(['true', 'on', '1', 'yes']);
const falsy = new Set(['false', 'off', '0', 'no']);

/** A number as people type it (" 8 ", "-2", "1.5"), or the text itself so that the schema names the problem. */
function toNumber(text: string): number | string {
  const trimmed = text.trim();
  return numberPattern.test(trimmed) ? Number(trimmed) : text;
}

/** A yes/no as forms send it (a ticked checkbox sends "on"), or the text itself so that the schema names it. */
function toBoolean(text: string): boolean | string {
  const word = text.trim().toLowerCase();
  if (truthy.has(word)) return true;
  if (falsy.has(word)) return false;
  return text;
}

const scalarReaders: Record<string, (text: string) => unknown> = {
  number: toNumber,
  boolean: toBoolean,
  string: (text) => text,
};

type AnySchema = z.core.$ZodType;

const { coerceFormValue } = configureCoercion({
  customize: (type: AnySchema) => {
    const def = type._zod.def;
    // A required text keeps its "" so that its own rule answers ("Give the sprint a name"); where the schema allows
    // it to be absent, Conform strips it at the wrapper.
    if (def.type === 'string') return (value) => value;
    // A checkbox left unticked sends nothing: a required yes/no that is absent is "no".
    if (def.type === 'boolean')
      return (value) => (value === undefined ? false : typeof value === 'string' ? toBoolean(value) : value);
    // An empty field where null is allowed is null (stopping the timer, a sprint without a capacity).
    if (def.type === 'nullable') {
      const read = scalarReaders[(def as z.core.$ZodNullableDef).innerType._zod.def.type];
      if (read)
        return (value) => (typeof value === 'string' ? (value.trim() === '' ? null : read(value)) : value);
    }
    return null;
  },
  type: {
    number: (text) => {
      const value = toNumber(text);
      if (typeof value !== 'number') throw new Error('not a number');
      return value;
    },
    boolean: (text) => {
      const value = toBoolean(text);
      if (typeof value !== 'boolean') throw new Error('not yes or no');
      return value;
    },
  },
});

/** "timeboxMinutes" → "Timebox minutes", "children.1.title" → "Title" (the last named part). */
export function humanise(path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .at(-1) ?? path;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Messages for what only a form can get wrong, used where the schema gives none of its own (zod prefers a schema's
 * message over this one): a field left empty, or text where a number or a yes/no belongs.
 */
const formMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  const field = humanise((issue.path ?? []).map(String).join('.'));
  if (!field) return undefined;
  if (issue.input === undefined) return `${field} is required`;
  if (typeof issue.input === 'string' && issue.expected === 'number') return `${field} must be a number`;
  if (typeof issue.input === 'string' && issue.expected === 'boolean') return `${field} must be yes or no`;
  return undefined;
};

/** `children[0].title` and `children.0.title` → `children`. */
const topName = (name: string) => name.split(/[.[]/, 1)[0];

/** `children.3.title` or `children[3][title]` → the row `children`, its number 3, and the rest `title`. */
const rowPattern = /^([^.[\]]+)(?:\.(\d+)|\[(\d+)\])(?:\.|\[)?([^\]]*)\]?(.*)$/;

/**
 * The form as Conform reads it: fields an object schema does not know (`intent`, `redirectTo`) and files (forms
 * never send a command a file; the CSV import reads its own) left out, Conform's own `__intent__` kept, and rows
 * (`children.0.title`, `children[3][title]`) named `children[k].title` with k counted in order, so a row removed
 * in the browser leaves no hole.
 */
function knownFields(form: FormData | URLSearchParams, schema: z.ZodType): FormData {
  const known = schema instanceof z.ZodObject ? new Set(Object.keys(schema.shape)) : null;
  const rows = new Map<string, Map<number, number>>();
  const renamed: Array<[string, string]> = [];
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string') continue;
    if (known && !known.has(topName(name)) && !name.startsWith('__')) continue;
    const row = rowPattern.exec(name);
    if (!row) {
      renamed.push([name, value]);
      continue;
    }
    const [, list, dotted, bracketed, field, rest] = row;
    const numbers = rows.get(list) ?? new Map<number, number>();
    rows.set(list, numbers);
    const index = Number(dotted ?? bracketed);
    renamed.push([`${list}\u0000${index}\u0000${field}${rest}`, value]);
    if (!numbers.has(index)) numbers.set(index, 0);
  }
  for (const numbers of rows.values()) {
    const ordered = [...numbers.keys()].sort((a, b) => a - b);
    for (const [k, index] of ordered.entries()) numbers.set(index, k);
  }
  const kept = new FormData();
  for (const [name, value] of renamed) {
    const [list, index, field] = name.split('\u0000');
    if (field === undefined) kept.append(name, value);
    else kept.append(`${list}[${rows.get(list)?.get(Number(index))}]${field ? `.${field}` : ''}`, value);
  }
  return kept;
}

/** Reads a posted form as the input of `schema` and validates it; `submission.reply()` is the action's answer. */
export function parseFormSubmission<S extends z.ZodType>(form: FormData | URLSearchParams, schema: S) {
  return parseWithZod(knownFields(form, schema), {
    schema: coerceFormValue(schema),
    disableAutoCoercion: true,
    error: formMessage,
    formatError: (issues: z.core.$ZodIssue[]) => issues.slice(0, 1).map((issue) => issue.message),
  });
}

/** A valid form the command still refused (e.g. an email already taken): its message beside `field`, or on the form. */
export function refuseSubmission(
  submission: Pick<Submission<unknown, string[], unknown>, 'reply'>,
  message: string,
  options: { field?: string; hideFields?: string[] } = {},
): FormReply {
  const { field, hideFields } = options;
  return field
    ? submission.reply({ fieldErrors: { [field]: [message] }, hideFields })
    : submission.reply({ formErrors: [message], hideFields });
}

/** A refusal before any form could be read (an unknown command, a guest who left): on the form, or beside `field`. */
export function formRefusal(message: string, field?: string): FormReply {
  return { status: 'error', error: { [field ?? '']: [message] } };
}

/** The first problem of a reply, with the field it belongs to ("form" for the form's own) and its full path. */
export function firstError(
  result: FormReply | undefined,
): { field: string; path: string; message: string } | null {
  for (const [path, messages] of Object.entries(result?.error ?? {})) {
    const message = messages?.[0];
    if (message) return { field: topName(path) || 'form', path: path || 'form', message };
  }
  return null;
}

/**
 * What a control answers (a live-room button, a sprint or review control, posted by a fetcher): the command it
 * ran and the form reply; when it succeeded, the moment (`at`, to clear an input once) and any message to show.
 */
export interface ControlReply {
  command: string;
  result: FormReply;
  at?: number;
  message?: string;
}

/**
 * A reply's first message per field (`children[1].title` counts as `children`) and the form's own under `form`, for
 * forms whose markup is their own (the session forms' agenda picker and radio groups) rather than `Field`.
 */
export function messagesByField(result: FormReply | null | undefined): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const [path, list] of Object.entries(result?.error ?? {})) {
    const message = list?.[0];
    if (message) messages[topName(path) || 'form'] ??= message;
  }
  return messages;
}

/** A control's answer as the control shows it: done (with its moment and message), or refused with the reason. */
export type ControlOutcome =
  | { ok: true; command: string; at?: number; message?: string }
  | { ok: false; command: string; error: string; field: string; path: string };

export function controlOutcome(reply: ControlReply): ControlOutcome {
  const problem = firstError(reply.result);
  if (problem)
    return {
      ok: false,
      command: reply.command,
      error: problem.message,
      field: problem.field,
      path: problem.path,
    };
  return { ok: true, command: reply.command, at: reply.at, message: reply.message };
}
