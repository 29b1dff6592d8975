import { describe, expect, it } from 'vitest';
import {
  type AmigosCast,
  allThreeAgree,
  amigoOf,
  castProblem,
  checkCase,
  mayAddCase,
  mayMarkUnderstanding,
  mayRecordNote,
  threeAmigosLine,
} from './three-amigos';

const cast: AmigosCast = { itemId: 'i', ownerId: 'po', developerId: 'dev', testerId: 'qa' };

describe('three amigos: who is who and who may do what', () => {
  it('names the three and nobody else', () => {
    expect(amigoOf(cast, 'po')).toBe('product_owner');
    expect(amigoOf(cast, 'dev')).toBe('developer');
    expect(amigoOf(cast, 'qa')).toBe('tester');
    expect(amigoOf(cast, 'other-team-member')).toBeNull();
  });
  it('lets only the tester add cases and only the developer record notes', () => {
    expect([
      mayAddCase('tester'),
      mayAddCase('developer'),
      mayAddCase('product_owner'),
      mayAddCase(null),
    ]).toEqual([true, false, false, false]);
    expect(mayRecordNote('developer')).toBe(true);
    expect(mayRecordNote('tester')).toBe(false);
    expect(mayRecordNote(null)).toBe(false);
  });
  it('lets each of the three, and no watcher, mark the shared understanding', () => {
    expect(mayMarkUnderstanding('product_owner')).toBe(true);
    expect(mayMarkUnderstanding('tester')).toBe(true);
    expect(mayMarkUnderstanding(null)).toBe(false);
  });
  it('ends only when all three have marked; a watcher’s mark does not count', () => {
    expect(allThreeAgree(cast, ['po', 'dev'])).toBe(false);
    expect(allThreeAgree(cast, ['po', 'dev', 'someone-else'])).toBe(false);
    expect(allThreeAgree(cast, ['qa', 'dev', 'po'])).toBe(true);
  });
  it('wants three different people', () => {
    expect(castProblem({ ownerId: 'a', developerId: 'a', testerId: 'b' })?.field).toBe('developerId');
    expect(castProblem({ ownerId: 'a', developerId: 'b', testerId: 'b' })?.field).toBe('testerId');
    expect(castProblem({ ownerId: 'a', developerId: 'b', testerId: 'c' })).toBeNull();
  });
});

describe('a tester’s case', () => {
  const criteria = 'Scenario: Pays by card\n  Given a basket\n  When I pay by card\n  Then I get a receipt';

  it('appends one scenario after a blank line', () => {
    const check = checkCase('Scenario: Card declined\n  Given a declined card\n  Then I see why', criteria);
    expect(check).toMatchObject({ ok: true, name: 'Card declined' });
    if (check.ok) {
      expect(check.criteria).toBe(
        `${criteria}\n\nScenario: Card declined\n  Given a declined card\n  Then I see why`,
      );
    }
  });
  it('becomes the whole criteria of an item without any', () => {
    const check = checkCase('Scenario: First\n  Given x\n', '');
    expect(check.ok && check.criteria).toBe('Scenario: First\n  Given x');
  });
  it('refuses text that is not Gherkin, with the reason', () => {
    const check = checkCase('The card is declined and nothing happens', criteria);
    expect(check.ok).toBe(false);
  });
  it('refuses a stray line that is not a step', () => {
    const check = checkCase('Scenario: Declined\n  the card is declined\n  Then I see why', criteria);
    expect(check).toMatchObject({ ok: false });
    if (!check.ok) expect(check.message).toMatch(/must be a step/);
  });
  it('refuses a scenario without steps, two scenarios, or a whole feature', () => {
    expect(checkCase('Scenario: Empty', criteria).ok).toBe(false);
    expect(checkCase('Scenario: A\n  Given a\nScenario: B\n  Given b', criteria).ok).toBe(false);
    expect(checkCase('Feature: F\n  Scenario: A\n    Given a', criteria).ok).toBe(false);
  });
  it('refuses empty and huge cases', () => {
    expect(checkCase('   ', criteria)).toMatchObject({ ok: false, message: 'Write the case first' });
    expect(checkCase(`Scenario: Long\n  Given ${'x'.repeat(5000)}`, criteria).ok).toBe(false);
  });
  it('refuses a case that does not fit criteria written in another language', () => {
    const french = '# language: fr\nScénario: Payer\n  Soit un panier';
    expect(checkCase('Scenario: Declined\n  Given a declined card', french).ok).toBe(false);
  });
});

describe('the readiness line', () => {
  it('says who held it and when, or that it was not held', () => {
    expect(threeAmigosLine(null, (d) => d)).toBe('Three amigos: not held');
    expect(threeAmigosLine({ at: '2026-12-03', names: ['Ada', 'Bob', 'Cy'] }, (d) => d)).toBe(
      'Three amigos: held on 2026-12-03 with Ada, Bob and Cy',
    );
  });
});
