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

const { coerceFormValue } = configureCoercion({
  // Where the schema allows a field to be absent, an empty one is absent (Conform strips it at the wrapper); a
  // required text keeps its "" so that its own rule answers.
  customize: (type) => (type._zod.def.type === 'string' ? (value) => value : null),
  type: {
    number: (text) => {
      const trimmed = text.trim();
      if (!numberPattern.test(trimmed)) throw new Error('not a number');
      return Number(trimmed);
    },
    boolean: (text) => {
      const word = text.trim().toLowerCase();
      if (truthy.has(word)) return true;
      if (falsy.has(word)) return false;
      throw new Error('not yes or no');
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

/** `children[0].title` → `children`. */
const topName = (name: string) => name.split(/[.[]/, 1)[0];

/** The form without the fields an object schema does not know (Conform's own `__intent__` stays). */
function knownFields(form: FormData | URLSearchParams, schema: z.ZodType): FormData | URLSearchParams {
  if (!(schema instanceof z.ZodObject)) return form;
  const known = new Set(Object.keys(schema.shape));
  const kept = new FormData();
  for (const [name, value] of form.entries()) {
    if (known.has(topName(name)) || name.startsWith('__')) kept.append(name, value);
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
