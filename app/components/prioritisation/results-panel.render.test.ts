import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ResultsPanel } from './results-panel';
import type { Results } from './types';

// The results as the room renders them: a WSJF weighted by the agreed criteria says so, and with which weights.

const results = (wsjfWeights: Results['wsjfWeights']): Results => ({
  anonymous: false,
  methods: ['wsjf'],
  participants: null,
  wsjfWeights,
  items: [
    {
      itemId: 'a',
      title: 'See free slots',
      dots: 0,
      dotVoters: 0,
      dotRank: 1,
      parts: {},
      wsjf: 3.6,
      moscow: { counts: { must: 0, should: 0, could: 0, wont: 0 }, top: null },
      kano: null,
      disagreement: 0,
      contested: false,
    },
  ],
});
const text = (r: Results) =>
  renderToStaticMarkup(createElement(ResultsPanel, { results: r, methods: ['wsjf'] }))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the results panel', () => {
  it('names the criteria version and weights a weighted WSJF uses', () => {
    expect(
      text(results({ version: 3, weights: { businessValue: 2, timeCriticality: 1, riskReduction: 1 } })),
    ).toContain(
      'WSJF weighs the Cost-of-Delay parts as agreed in criteria v3: user-business value ×2, time criticality ×1, risk reduction ×1.',
    );
  });
  it('says nothing of weights for plain WSJF', () => {
    expect(text(results(null))).not.toContain('as agreed in criteria');
  });
});
