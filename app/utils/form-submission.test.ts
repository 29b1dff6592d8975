import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signUpSchema } from '~/services/accounts.server';
import { sessionCommands } from '~/services/sessions/dispatch.server';
import { humanise, parseFormSubmission, refuseSubmission } from './form-submission';

const form = (entries: Array<[string, string]>) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

describe('parseFormSubmission', () => {
  it('returns the parsed values, trimmed and normalised by the schema, without the form’s bookkeeping', () => {
    const submission = parseFormSubmission(
      form([
        ['email', ' Ada@Example.COM '],
        ['displayName', ' Ada '],
        ['password', 'correct horse battery'],
        ['redirectTo', '/products'],
      ]),
      signUpSchema,
    );
    expect(submission.status).toBe('success');
    if (submission.status !== 'success') return;
    expect(submission.value).toEqual({
      email: 'ada@example.com',
      displayName: 'Ada',
      password: 'correct horse battery',
    });
  });

  it('names each invalid field with one readable message, the first', () => {
    const submission = parseFormSubmission(
      form([
        ['email', 'nope'],
        ['password', 'short'],
        ['displayName', ''],
      ]),
      signUpSchema,
    );
    expect(submission.status).toBe('error');
    expect(submission.reply().error).toEqual({
      email: ['Email must be a valid address'],
      password: ['Password must be at least 10 characters'],
      displayName: ['Name is required'],
    });
  });

  it('reads numbers as numbers, and says so in words when a field is not one', () => {
    const schema = sessionCommands.commitEstimate.schema;
    const ok = parseFormSubmission(form([['estimate', ' 8 ']]), schema);
    expect(ok.status === 'success' && ok.value).toEqual({ estimate: 8 });
    const refused = parseFormSubmission(form([['estimate', 'five']]), schema);
    expect(refused.reply().error).toEqual({ estimate: ['Estimate must be a number'] });
    const missing = parseFormSubmission(form([['estimate', '']]), schema);
    expect(missing.reply().error).toEqual({ estimate: ['Estimate is required'] });
  });

  it('reads yes/no from button values and checkboxes, and refuses one it cannot read', () => {
    const schema = sessionCommands.raiseHand.schema;
    for (const [text, value] of [
      ['true', true],
      ['on', true],
      ['no', false],
    ] as const) {
      const submission = parseFormSubmission(form([['raised', text]]), schema);
      expect(submission.status === 'success' && submission.value).toEqual({ raised: value });
    }
    // In words where the schema has no message of its own; the schema's own message where it has one.
    const plain = parseFormSubmission(form([['raised', 'maybe']]), z.object({ raised: z.boolean() }));
    expect(plain.reply().error).toEqual({ raised: ['Raised must be yes or no'] });
    const own = parseFormSubmission(form([['raised', 'maybe']]), schema);
    expect(own.reply().error).toEqual({ raised: ['raised must be true or false'] });
  });

  it('treats an empty field as not given, so a default applies', () => {
    const schema = z.object({ name: z.string().trim().min(1), description: z.string().trim().default('') });
    const submission = parseFormSubmission(
      form([
        ['name', 'Shop'],
        ['description', ''],
      ]),
      schema,
    );
    expect(submission.status === 'success' && submission.value).toEqual({ name: 'Shop', description: '' });
  });

  it('leaves out fields a strict schema does not know, and lets a required text’s own rule answer', () => {
    const schema = z.strictObject({ name: z.string().trim().min(1, 'Give the sprint a name') });
    const ok = parseFormSubmission(
      form([
        ['intent', 'create'],
        ['name', 'Sprint 1'],
      ]),
      schema,
    );
    expect(ok.status === 'success' && ok.value).toEqual({ name: 'Sprint 1' });
    const empty = parseFormSubmission(form([['name', '']]), schema);
    expect(empty.reply().error).toEqual({ name: ['Give the sprint a name'] });
  });
});

describe('refuseSubmission', () => {
  const valid = () =>
    parseFormSubmission(
      form([
        ['email', 'ada@example.com'],
        ['displayName', 'Ada'],
        ['password', 'correct horse battery'],
      ]),
      signUpSchema,
    );

  it('puts a refusal beside its field, and keeps passwords out of the values shown again', () => {
    const reply = refuseSubmission(valid(), 'An account with this email already exists', {
      field: 'email',
      hideFields: ['password'],
    });
    expect(reply.status).toBe('error');
    expect(reply.error).toEqual({ email: ['An account with this email already exists'] });
    expect(reply.initialValue).toMatchObject({ email: 'ada@example.com' });
    expect(reply.initialValue).not.toHaveProperty('password');
  });

  it('puts a refusal without a field on the form', () => {
    const reply = refuseSubmission(valid(), 'Try again in a minute');
    expect(reply.error).toEqual({ '': ['Try again in a minute'] });
  });
});

describe('humanise', () => {
  it('turns a path into the words a person reads', () => {
    expect(humanise('timeboxMinutes')).toBe('Timebox minutes');
    expect(humanise('children.1.criteria')).toBe('Criteria');
  });
});
