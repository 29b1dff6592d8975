import { describe, expect, it } from 'vitest';
import { isNumericDeck, isOnDeck, parseCustomDeck, roundDeck, suggestedEstimate, tally } from './poker';

describe('planning poker tally', () => {
  it('gives distribution, mean, median and mode over the numeric cards', () => {
    const result = tally('fibonacci', ['3', '5', '5', '8', '?']);
    expect(result.distribution).toEqual([
      { value: '3', count: 1 },
      { value: '5', count: 2 },
      { value: '8', count: 1 },
      { value: '?', count: 1 },
    ]);
    expect(result.mean).toBe(5.3);
    expect(result.median).toBe('5');
    expect(result.mode).toEqual(['5']);
    expect(result.abstained).toBe(1);
    expect(result.votes).toBe(5);
    expect(result.wideSpread).toBe(false);
  });

  it('flags a wide spread when the highest card is three or more steps above the lowest', () => {
    expect(tally('fibonacci', ['2', '8']).wideSpread).toBe(true); // 2,3,5,8: three steps
    expect(tally('fibonacci', ['2', '5']).wideSpread).toBe(false);
    expect(tally('tshirt', ['S', 'XL']).wideSpread).toBe(true);
    expect(tally('fibonacci', ['1', 'coffee', '?']).wideSpread).toBe(false);
  });

  it('reports every tied mode and the lower middle for an even count', () => {
    const result = tally('fibonacci', ['1', '1', '13', '13']);
    expect(result.mode).toEqual(['1', '13']);
    expect(result.median).toBe('1');
    expect(result.mean).toBe(7);
  });

  it('has no statistics when nobody estimated', () => {
    const result = tally('fibonacci', ['coffee']);
    expect(result).toMatchObject({ mean: null, median: null, mode: [], wideSpread: false, abstained: 1 });
    expect(tally('fibonacci', []).votes).toBe(0);
  });

  it('has no mean for T-shirt sizes but a median card', () => {
    const result = tally('tshirt', ['M', 'L', 'S']);
    expect(result.mean).toBeNull();
    expect(result.median).toBe('M');
    expect(suggestedEstimate('tshirt', result)).toBeNull();
    expect(suggestedEstimate('fibonacci', tally('fibonacci', ['3', '5', '8']))).toBe(5);
  });

  it('knows which values are on a deck', () => {
    expect(isOnDeck('fibonacci', '13')).toBe(true);
    expect(isOnDeck('fibonacci', '4')).toBe(false);
    expect(isOnDeck('fibonacci', 'XL')).toBe(false);
    expect(isOnDeck('tshirt', 'coffee')).toBe(true);
  });
});

describe('custom decks', () => {
  it('reads a name and comma-separated cards, in order, trimmed', () => {
    expect(parseCustomDeck('  Hours ', '1, 2,4 ,8,16, ?')).toEqual({
      ok: true,
      name: 'Hours',
      cards: ['1', '2', '4', '8', '16', '?'],
    });
    expect(parseCustomDeck('Sizes', 'small,medium,large,,')).toMatchObject({
      ok: true,
      cards: ['small', 'medium', 'large'],
    });
  });

  it('refuses a deck without a name, with too few or too many cards, long cards or a card twice', () => {
    expect(parseCustomDeck(' ', '1,2')).toMatchObject({ ok: false, field: 'name' });
    expect(parseCustomDeck('x'.repeat(41), '1,2')).toMatchObject({ ok: false, field: 'name' });
    expect(parseCustomDeck('One', '1')).toMatchObject({
      ok: false,
      field: 'cards',
      message: /2 to 20 cards/,
    });
    expect(parseCustomDeck('Empty', ' , ,')).toMatchObject({ ok: false, field: 'cards' });
    const many = Array.from({ length: 21 }, (_, i) => String(i)).join(',');
    expect(parseCustomDeck('Many', many)).toMatchObject({ ok: false, field: 'cards', message: /has 21/ });
    expect(parseCustomDeck('Twenty', many.split(',').slice(0, 20).join(','))).toMatchObject({ ok: true });
    expect(parseCustomDeck('Long', '1,123456789')).toMatchObject({ ok: false, message: /at most 8/ });
    expect(parseCustomDeck('Eight', '1,12345678')).toMatchObject({ ok: true });
    expect(parseCustomDeck('Twice', 'S,M,s')).toMatchObject({
      ok: false,
      message: /“s” is on the deck twice/,
    });
    expect(parseCustomDeck('Control', 'a,b\u0007')).toMatchObject({ ok: false, field: 'cards' });
  });

  it('counts the statistics of numeric decks only', () => {
    const hours = ['0.5', '1', '2', '4', '8', '?'];
    expect(isNumericDeck(hours)).toBe(true);
    expect(isNumericDeck('fibonacci')).toBe(true);
    expect(isNumericDeck('tshirt')).toBe(false);
    expect(isNumericDeck(['S', '1', '2'])).toBe(false);
    expect(isNumericDeck(['?', 'coffee'])).toBe(false);
    const numeric = tally(hours, ['0.5', '1', '8', '?']);
    expect(numeric).toMatchObject({ mean: 3.2, median: '1', wideSpread: true, abstained: 1 });
    expect(suggestedEstimate(hours, numeric)).toBe(1);
    // A median that is not whole points is not suggested (estimates are whole points).
    expect(suggestedEstimate(hours, tally(hours, ['0.5']))).toBeNull();
    const words = ['tiny', 'small', 'big'];
    const wordy = tally(words, ['tiny', 'big', 'big']);
    expect(wordy).toMatchObject({ mean: null, median: 'big', mode: ['big'] });
    expect(suggestedEstimate(words, wordy)).toBeNull();
    expect(isOnDeck(words, 'small')).toBe(true);
    expect(isOnDeck(words, '5')).toBe(false);
  });

  it('describes a round’s deck from its name or its own cards', () => {
    expect(roundDeck('fibonacci', null)).toMatchObject({ label: 'Fibonacci (0–21)', numeric: true });
    expect(roundDeck('tshirt', null).cards).toContain('XL');
    expect(roundDeck('Hours', ['1', '2'])).toEqual({ label: 'Hours', cards: ['1', '2'], numeric: true });
    // A product deck may be called like a built-in one: its own cards count.
    expect(roundDeck('fibonacci', ['a', 'b'])).toEqual({
      label: 'fibonacci',
      cards: ['a', 'b'],
      numeric: false,
    });
    expect(roundDeck('unknown', null)).toEqual({ label: 'unknown', cards: [], numeric: false });
  });
});
