import { describe, expect, it } from 'vitest';
import { addSample, bestOffset, clockSample, keptSamples } from './server-clock';

describe('server clock offset', () => {
  it('takes the middle of the round trip as the moment the server read its clock', () => {
    // Local clock 90 s behind: sent at 1000, the server said 91_100, received at 1200.
    expect(clockSample(1000, 91_100, 1200)).toEqual({ offset: 90_000, roundTrip: 200 });
    expect(clockSample(5000, 4000, 5000)).toEqual({ offset: -1000, roundTrip: 0 });
  });

  it('ignores a sample that cannot be right', () => {
    expect(clockSample(2000, 5000, 1000)).toBeNull();
    expect(clockSample(Number.NaN, 5000, 6000)).toBeNull();
    expect(clockSample(1000, Number.POSITIVE_INFINITY, 2000)).toBeNull();
  });

  it('uses the sample with the shortest round trip, among the latest few', () => {
    expect(bestOffset([])).toBe(0);
    const samples = [
      { offset: 500, roundTrip: 900 },
      { offset: 120, roundTrip: 40 },
      { offset: 300, roundTrip: 400 },
    ];
    expect(bestOffset(samples)).toBe(120);
    let kept = samples;
    for (let i = 0; i < keptSamples; i++) kept = addSample(kept, { offset: 7, roundTrip: 100 + i });
    expect(kept).toHaveLength(keptSamples);
    // The quick sample has aged out; the best of the newest counts.
    expect(bestOffset(kept)).toBe(7);
  });
});
