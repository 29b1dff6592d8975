import { describe, expect, it } from 'vitest';
import { kanoCategoryLabels } from './kano';
import {
  type ExportableResults,
  resultsItemsCsv,
  resultsMarkdown,
  resultsParticipantsCsv,
} from './results-export';

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return {
    count: values.length,
    mean,
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    max: sorted.at(-1)!,
    spread: sorted.at(-1)! - sorted[0],
    variation: 0,
  };
};
const none = { must: 0, should: 0, could: 0, wont: 0 };

function results(anonymous: boolean): ExportableResults {
  return {
    anonymous,
    methods: ['dots', 'wsjf'],
    items: [
      {
        itemId: 'b',
        title: '=HYPERLINK("http://evil","x")',
        dots: 2,
        dotVoters: 1,
        dotRank: 2,
        parts: { userBusinessValue: stats([3, 5, 8]) },
        wsjf: 1.5,
        moscow: { counts: none, top: null },
        kano: null,
        contested: false,
      },
      {
        itemId: 'a',
        title: 'Pay | by *card*',
        dots: 7,
        dotVoters: 3,
        dotRank: 1,
        parts: {},
        wsjf: null,
        moscow: { counts: { ...none, must: 2 }, top: 'must' },
        kano: { dominant: 'attractive' },
        contested: true,
      },
    ],
    participants: [
      {
        name: '@Ana <b>',
        groupName: null,
        dots: [{ itemId: 'a', dots: 3 }],
        scores: [{ itemId: 'b', part: 'userBusinessValue', value: '5' }],
      },
      { name: 'Ben', groupName: 'Clinics', dots: [], scores: [] },
    ],
  };
}

describe('results export', () => {
  it('writes one CSV row per item in result order, defusing formula cells and quoting every cell', () => {
    const lines = resultsItemsCsv(results(false)).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '"Rank","Item","Dots","Dot voters","WSJF","User-business value mean","User-business value median","User-business value lowest","User-business value highest","MoSCoW","Kano","Contested"',
    );
    expect(lines[1]).toBe(
      `"1","Pay | by *card*","7","3","","","","","","Must have","${kanoCategoryLabels.attractive}","yes"`,
    );
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(lines[2]).toContain('"5.333333333333333","5","3","8"');
  });

  it('writes per-participant rows (only what they voted on), and nothing per participant when anonymous', () => {
    const csv = resultsParticipantsCsv(results(false))!;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3); // head, Ana on a, Ana on b; Ben voted nothing
    expect(lines[1]).toMatch(/^"'@Ana <b>","","Pay \| by \*card\*","3"/);
    expect(lines[2]).toContain('"5"');
    expect(resultsParticipantsCsv(results(true))).toBeNull();
  });

  it('escapes Markdown and leaves out who voted what when anonymous', () => {
    const md = resultsMarkdown('Q3 <script>', results(false));
    expect(md).toContain('# Results: Q3 \\<script\\>');
    expect(md).toContain('Pay \\| by \\*card\\*');
    expect(md).toContain('## Who put dots where');
    expect(md).toContain('| @Ana \\<b\\> |');
    const anonymous = resultsMarkdown('Q3', results(true));
    expect(anonymous).not.toContain('Who put dots where');
    expect(anonymous).not.toContain('Ana');
  });

  it('says which agreed weights the WSJF column used, and nothing for plain WSJF', () => {
    const weighted = resultsMarkdown('Q3', {
      ...results(false),
      wsjfWeights: { version: 4, weights: { businessValue: 2, timeCriticality: 1, riskReduction: 1 } },
    });
    expect(weighted).toContain(
      'WSJF weighs the Cost-of-Delay parts as agreed in criteria v4: user-business value ×2, time criticality ×1, risk reduction ×1.',
    );
    expect(resultsMarkdown('Q3', results(false))).not.toContain('as agreed in criteria');
  });
});
