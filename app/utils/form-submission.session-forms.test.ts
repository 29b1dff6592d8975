import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sessionCommands } from '~/services/sessions/dispatch.server';
import { createSessionSchema } from '~/services/sessions/sessions.server';
import { firstError, parseFormSubmission } from './form-submission';

/**
 * The room's controls and the session forms, read by the one form pipeline: what each command receives, or the
 * first problem with its field and its path into a row.
 */
const parseFormInput = (schema: z.ZodType, data: FormData) => {
  const submission = parseFormSubmission(data, schema);
  if (submission.status === 'success') return { ok: true, data: submission.value };
  return { ok: false, ...firstError(submission.reply()) };
};
const readFormInput = (schema: z.ZodType, data: FormData) => {
  const result = parseFormInput(schema, data);
  return result.ok ? result.data : result;
};

const form = (entries: Array<[string, string]>) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('session forms through the form pipeline', () => {
  it('reads a choice of numbers (the WSJF scale) as numbers, and an empty choice as not given', () => {
    const form = new FormData();
    form.set('itemId', '7c9e6679-7425-40de-944b-e07fc1f90ae7');
    form.set('userBusinessValue', '13');
    form.set('timeCriticality', '');
    form.set('moscow', 'must');
    const parsed = parseFormInput(sessionCommands.submitScores.schema, form);
    expect(parsed).toEqual({
      ok: true,
      data: { itemId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', userBusinessValue: 13, moscow: 'must' },
    });
    form.set('userBusinessValue', '4');
    expect(parseFormInput(sessionCommands.submitScores.schema, form)).toMatchObject({
      ok: false,
      field: 'userBusinessValue',
    });
  });

  it('reads numbers as numbers and leaves out fields the schema does not know', () => {
    const result = parseFormInput(
      sessionCommands.commitEstimate.schema,
      form([
        ['command', 'commitEstimate'],
        ['estimate', ' 8 '],
      ]),
    );
    expect(result).toEqual({ ok: true, data: { estimate: 8 } });
  });

  it('reads booleans from button values and checkboxes; a required boolean left unticked is false', () => {
    expect(parseFormInput(sessionCommands.raiseHand.schema, form([['raised', 'true']]))).toEqual({
      ok: true,
      data: { raised: true },
    });
    expect(parseFormInput(sessionCommands.raiseHand.schema, form([['raised', 'false']]))).toEqual({
      ok: true,
      data: { raised: false },
    });
    expect(
      parseFormInput(
        sessionCommands.setReadyCheck.schema,
        form([
          ['checkId', 'ac'],
          ['checked', 'on'],
        ]),
      ),
    ).toEqual({
      ok: true,
      data: { checkId: 'ac', checked: true },
    });
    expect(parseFormInput(sessionCommands.setReadyCheck.schema, form([['checkId', 'ac']]))).toEqual({
      ok: true,
      data: { checkId: 'ac', checked: false },
    });
  });

  it('leaves an optional boolean out when absent, so the schema decides', () => {
    expect(parseFormInput(sessionCommands.join.schema, form([['command', 'join']]))).toEqual({
      ok: true,
      data: {},
    });
    expect(parseFormInput(sessionCommands.join.schema, form([['spectator', 'yes']]))).toEqual({
      ok: true,
      data: { spectator: true },
    });
  });

  it('turns an empty field into null where null is allowed (stopping the timer)', () => {
    expect(parseFormInput(sessionCommands.setTimer.schema, form([['seconds', '']]))).toEqual({
      ok: true,
      data: { seconds: null },
    });
    expect(parseFormInput(sessionCommands.setTimer.schema, form([['seconds', '300']]))).toEqual({
      ok: true,
      data: { seconds: 300 },
    });
  });

  it('leaves an empty optional field out (a question on the current item)', () => {
    expect(
      parseFormInput(
        sessionCommands.addNote.schema,
        form([
          ['text', 'Who signs off?'],
          ['itemId', ''],
        ]),
      ),
    ).toEqual({
      ok: true,
      data: { text: 'Who signs off?' },
    });
  });

  it('reads rows of an array of objects, in order, with gaps and both name styles', () => {
    const result = parseFormInput(
      sessionCommands.splitItem.schema,
      form([
        ['children.0.title', 'Pay by card'],
        ['children[3][title]', 'Pay by invoice'],
        ['children[3][criteria]', 'Feature: Invoice'],
        ['children.2.title', 'Refunds'],
        ['position', 'bottom'],
      ]),
    );
    expect(result).toEqual({
      ok: true,
      data: {
        children: [
          { title: 'Pay by card', criteria: '' },
          { title: 'Refunds', criteria: '' },
          { title: 'Pay by invoice', criteria: 'Feature: Invoice' },
        ],
        position: 'bottom',
      },
    });
  });

  it('reads a repeated name as an array of plain values, and applies defaults', () => {
    const result = parseFormInput(
      createSessionSchema,
      form([
        ['title', 'Refinement'],
        ['agenda', uuid(1)],
        ['agenda', uuid(2)],
        ['timeboxMinutes', '15'],
        ['autoReveal', 'on'],
        ['facilitatorId', ''],
        ['deck', 'tshirt'],
      ]),
    );
    // A subset: the schema has more fields with defaults, for other kinds of session.
    expect(result).toMatchObject({
      ok: true,
      data: {
        title: 'Refinement',
        kind: 'refinement',
        agenda: [uuid(1), uuid(2)],
        timeboxMinutes: 15,
        deck: 'tshirt',
        autoReveal: true,
      },
    });
    expect(result.ok && (result.data as { facilitatorId?: string }).facilitatorId).toBeUndefined();
  });

  it('gives an empty array when no checkbox of a list is ticked', () => {
    const result = readFormInput(z.object({ ids: z.array(z.string()) }), form([]));
    expect(result).toEqual({ ids: [] });
  });
});

describe('session forms refused', () => {
  it('names a field that is not a number', () => {
    expect(parseFormInput(sessionCommands.commitEstimate.schema, form([['estimate', 'five']]))).toEqual({
      ok: false,
      field: 'estimate',
      path: 'estimate',
      message: 'Estimate must be a number',
    });
    expect(
      parseFormInput(
        createSessionSchema,
        form([
          ['title', 'x'],
          ['timeboxMinutes', '10m'],
        ]),
      ),
    ).toMatchObject({
      ok: false,
      field: 'timeboxMinutes',
      message: 'Timebox minutes must be a number',
    });
  });

  it('says a required field is missing in words', () => {
    expect(parseFormInput(sessionCommands.commitEstimate.schema, form([['estimate', '']]))).toMatchObject({
      ok: false,
      field: 'estimate',
      message: 'Estimate is required',
    });
    expect(parseFormInput(sessionCommands.castEstimate.schema, form([]))).toMatchObject({
      ok: false,
      field: 'value',
      message: 'Value is required',
    });
  });

  it('passes on the schema’s own message, with the path into a row', () => {
    expect(parseFormInput(sessionCommands.commitEstimate.schema, form([['estimate', '2.5']]))).toMatchObject({
      ok: false,
      field: 'estimate',
      message: 'Estimate must be whole points',
    });
    expect(
      parseFormInput(
        sessionCommands.splitItem.schema,
        form([
          ['children.0.title', 'A'],
          ['children.1.title', '  '],
        ]),
      ),
    ).toEqual({
      ok: false,
      field: 'children',
      path: 'children[1].title',
      message: 'Each new story needs a title',
    });
    expect(parseFormInput(sessionCommands.splitItem.schema, form([]))).toMatchObject({
      ok: false,
      field: 'children',
      message: 'Give at least one new story',
    });
    expect(parseFormInput(sessionCommands.setCurrentItem.schema, form([['itemId', 'nope']]))).toMatchObject({
      ok: false,
      field: 'itemId',
      message: 'itemId must be an item on the agenda',
    });
  });

  it('refuses a boolean it cannot read', () => {
    expect(parseFormInput(sessionCommands.raiseHand.schema, form([['raised', 'maybe']]))).toMatchObject({
      ok: false,
      field: 'raised',
      message: 'raised must be true or false',
    });
  });

  it('ignores files', () => {
    const data = form([['text', 'Why?']]);
    data.append('itemId', new Blob(['x']), 'x.txt');
    expect(parseFormInput(sessionCommands.addNote.schema, data)).toEqual({
      ok: true,
      data: { text: 'Why?' },
    });
  });
});
