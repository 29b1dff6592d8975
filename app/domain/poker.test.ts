import { describe, expect, it } from 'vitest';
import { isOnDeck, suggestedEstimate, tally } from './poker';

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
