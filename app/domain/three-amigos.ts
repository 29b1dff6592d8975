/**
 * Three amigos (issue 18): the product owner, a developer and a tester on one story before planning. Pure rules
 * shared by the server and the room: who is who, who may do what, when the session ends, and a tester's case.
 *
 * Decisions (docs/decisions/0043-three-amigos.md): only the three act; other members of the product (team members,
 * stakeholders) may open the room and watch it read-only, as they may watch any session of their product. Only the
 * named tester adds cases (the others edit the criteria directly in the shared text); only the developer records
 * questions, dependencies and assumptions; any of the three marks a note answered and marks the shared
 * understanding. The session ends the moment the last of the three marks it.
 */
import { parseCriteria } from './gherkin';

export type Amigo = 'product_owner' | 'developer' | 'tester';

export const amigoLabels: Record<Amigo, string> = {
  product_owner: 'Product owner',
  developer: 'Developer',
  tester: 'Tester',
};

/** Who the three are, as the session's settings keep them. */
export interface AmigosCast {
  itemId: string;
  ownerId: string;
  developerId: string;
  testerId: string;
}

export const amigoNoteKinds = ['question', 'dependency', 'assumption'] as const;
export type AmigoNoteKind = (typeof amigoNoteKinds)[number];

export const amigoNoteLabels: Record<AmigoNoteKind, string> = {
  question: 'Question',
  dependency: 'Dependency',
  assumption: 'Assumption',
};

/** The longest case a tester may add, and the longest note. */
export const maxCaseLength = 4000;
export const maxNoteLength = 1000;

/** The part `userId` plays in the session, or null for anyone else (watchers). */
export function amigoOf(cast: AmigosCast, userId: string): Amigo | null {
  if (userId === cast.ownerId) return 'product_owner';
  if (userId === cast.developerId) return 'developer';
  if (userId === cast.testerId) return 'tester';
  return null;
}

export const amigoIds = (cast: AmigosCast): string[] => [cast.ownerId, cast.developerId, cast.testerId];

/** The tester adds the cases the criteria miss. */
export const mayAddCase = (amigo: Amigo | null): boolean => amigo === 'tester';
/** The developer records questions, dependencies and assumptions. */
export const mayRecordNote = (amigo: Amigo | null): boolean => amigo === 'developer';
/** Any of the three marks a note answered (or open again) and marks the shared understanding. */
export const mayAnswerNote = (amigo: Amigo | null): boolean => amigo !== null;
export const mayMarkUnderstanding = (amigo: Amigo | null): boolean => amigo !== null;

/** The session ends when all three have marked a shared understanding. */
export function allThreeAgree(cast: AmigosCast, marked: Iterable<string>): boolean {
  const set = new Set(marked);
  return amigoIds(cast).every((id) => set.has(id));
}

/** Checks the three people of a new session: three different people. */
export function castProblem(cast: Omit<AmigosCast, 'itemId'>): { field: string; message: string } | null {
  if (cast.developerId === cast.ownerId)
    return { field: 'developerId', message: 'The developer must be someone other than the product owner' };
  if (cast.testerId === cast.ownerId)
    return { field: 'testerId', message: 'The tester must be someone other than the product owner' };
  if (cast.testerId === cast.developerId)
    return { field: 'testerId', message: 'The developer and the tester must be two different people' };
  return null;
}

export type CaseCheck =
  | { ok: true; scenario: string; criteria: string; name: string }
  | { ok: false; message: string; line: number | null };

/**
 * A tester's case: one Gherkin Scenario (or Scenario Outline) with at least one step and nothing else, appended to
 * the item's criteria after a blank line. Refused with a message people can act on when it does not parse alone or
 * once appended (e.g. criteria written in another language).
 */
export function checkCase(source: string, criteria: string): CaseCheck {
  const scenario = source
    .replace(/\r\n|\r/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
  if (scenario === '') return { ok: false, message: 'Write the case first', line: null };
  if (scenario.length > maxCaseLength)
    return { ok: false, message: `A case is at most ${maxCaseLength} characters`, line: null };
  const alone = parseCriteria(scenario);
  if (!alone.ok) return { ok: false, message: alone.errors[0].message, line: alone.errors[0].line };
  const { feature, scenarios } = alone;
  if (feature.hasFeatureLine || feature.background || feature.rules.length > 0 || scenarios.length !== 1) {
    return {
      ok: false,
      message: 'A case is one Scenario: a "Scenario:" line and its Given, When and Then steps',
      line: null,
    };
  }
  const [only] = scenarios;
  if (only.description.trim() !== '') {
    return {
      ok: false,
      message: 'Every line after the Scenario line must be a step (Given, When, Then, And, But)',
      line: only.line + 1,
    };
  }
  if (only.steps.length === 0)
    return { ok: false, message: 'A case needs at least one step (Given, When, Then)', line: only.line };
  const base = criteria.replace(/\s+$/, '');
  const combined = base === '' ? scenario : `${base}\n\n${scenario}`;
  const together = parseCriteria(combined);
  if (!together.ok) {
    return {
      ok: false,
      message: `The case does not fit the item's criteria: ${together.errors[0].message}`,
      line: null,
    };
  }
  return { ok: true, scenario, criteria: combined, name: only.name };
}

/** "Three amigos: held on 3 December 2026 with Ada, Bob and Cy" or "not held", for the Definition of Ready view. */
export function threeAmigosLine(
  held: { at: string; names: string[] } | null,
  formatDate: (iso: string) => string,
) {
  if (!held) return 'Three amigos: not held';
  const names = held.names;
  const list =
    names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `Three amigos: held on ${formatDate(held.at)} with ${list}`;
}
