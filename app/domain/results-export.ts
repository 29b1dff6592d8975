/**
 * The results of a prioritisation session as files: CSV per item and per participant (never per participant when
 * the session is anonymous), and Markdown. Cells go through the one CSV writer (quoted, formula prefixes defused);
 * text in Markdown is escaped.
 */
import { toCsv } from './csv-write';
import { type KanoCategory, kanoCategoryLabels } from './kano';
import { type Moscow, moscowLabels } from './moscow';
import { type NumericPart, numericParts, type PartStats } from './score-results';
import { escapeMarkdown } from './session-summary';
import type { WsjfWeights } from './wsjf';

export interface ExportableResults {
  anonymous: boolean;
  methods: string[];
  items: Array<{
    itemId: string;
    title: string;
    dots: number;
    dotVoters: number;
    dotRank: number;
    parts: Partial<Record<NumericPart, PartStats>>;
    wsjf: number | null;
    moscow: { counts: Record<Moscow, number>; top: Moscow | null };
    kano: { dominant: KanoCategory | null } | null;
    contested: boolean;
  }>;
  participants: Array<{
    name: string;
    groupName: string | null;
    dots: Array<{ itemId: string; dots: number }>;
    scores: Array<{ itemId: string; part: string; value: string }>;
  }> | null;
  /** the agreed Cost-of-Delay part weights WSJF used (criteria version); null or absent: plain WSJF */
  wsjfWeights?: { version: number; weights: WsjfWeights } | null;
}

const partNames: Record<NumericPart, string> = {
  userBusinessValue: 'User-business value',
  timeCriticality: 'Time criticality',
  riskReduction: 'Risk reduction / opportunity enablement',
  jobSize: 'Job size',
  businessValue: 'Business value',
};

/** Items in the order of the results: by dots when the session had dots, else by WSJF (unscored last). */
export function rankedItems(r: ExportableResults) {
  const items = [...r.items];
  if (r.methods.includes('dots')) return items.sort((a, b) => a.dotRank - b.dotRank);
  return items.sort((a, b) => (b.wsjf ?? -1) - (a.wsjf ?? -1));
}

const scoredParts = (r: ExportableResults) => numericParts.filter((p) => r.items.some((i) => i.parts[p]));

export function resultsItemsCsv(r: ExportableResults): string {
  const parts = scoredParts(r);
  const head = ['Rank', 'Item', 'Dots', 'Dot voters', 'WSJF'];
  for (const p of parts)
    head.push(
      `${partNames[p]} mean`,
      `${partNames[p]} median`,
      `${partNames[p]} lowest`,
      `${partNames[p]} highest`,
    );
  head.push('MoSCoW', 'Kano', 'Contested');
  const rows = rankedItems(r).map((item, i) => [
    i + 1,
    item.title,
    item.dots,
    item.dotVoters,
    item.wsjf,
    ...parts.flatMap((p) => {
      const s = item.parts[p];
      return s ? [s.mean, s.median, s.min, s.max] : [null, null, null, null];
    }),
    item.moscow.top ? moscowLabels[item.moscow.top] : null,
    item.kano?.dominant ? kanoCategoryLabels[item.kano.dominant] : null,
    item.contested ? 'yes' : 'no',
  ]);
  return toCsv(head, rows);
}

const participantParts = [
  'userBusinessValue',
  'timeCriticality',
  'riskReduction',
  'jobSize',
  'businessValue',
  'moscow',
  'kanoFunctional',
  'kanoDysfunctional',
] as const;

/** One row per participant and item they voted on; null for an anonymous session, which never links people to votes. */
export function resultsParticipantsCsv(r: ExportableResults): string | null {
  if (r.anonymous || !r.participants) return null;
  const head = ['Participant', 'Group', 'Item', 'Dots', ...participantParts];
  const rows: unknown[][] = [];
  for (const p of r.participants) {
    for (const item of rankedItems(r)) {
      const dots = p.dots.find((d) => d.itemId === item.itemId)?.dots ?? 0;
      const scores = participantParts.map((part) => {
        const value = p.scores.find((s) => s.itemId === item.itemId && s.part === part)?.value ?? null;
        return value !== null && /^\d+$/.test(value) ? Number(value) : value;
      });
      if (dots === 0 && scores.every((s) => s === null)) continue;
      rows.push([p.name, p.groupName, item.title, dots, ...scores]);
    }
  }
  return toCsv(head, rows);
}

const cell = (text: string) => escapeMarkdown(text);
const num = (n: number | null | undefined) => (n === null || n === undefined ? '–' : String(n));

export function resultsMarkdown(title: string, r: ExportableResults): string {
  const parts = scoredParts(r);
  const lines = [`# Results: ${cell(title)}`, ''];
  if (r.anonymous) lines.push('Anonymous session: the results do not say who voted what.', '');
  if (r.wsjfWeights && r.methods.includes('wsjf')) {
    const w = r.wsjfWeights.weights;
    lines.push(
      `WSJF weighs the Cost-of-Delay parts as agreed in criteria v${r.wsjfWeights.version}: user-business value ×${w.businessValue}, time criticality ×${w.timeCriticality}, risk reduction ×${w.riskReduction}.`,
      '',
    );
  }
  const head = [
    'Rank',
    'Item',
    'Dots',
    'WSJF',
    ...parts.map((p) => `${partNames[p]} (mean / median / range)`),
    'MoSCoW',
    'Kano',
    'Contested',
  ];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`);
  rankedItems(r).forEach((item, i) => {
    const stats = parts.map((p) => {
      const s = item.parts[p];
      return s ? `${s.mean} / ${s.median} / ${s.min}–${s.max}` : '–';
    });
    const row = [
      String(i + 1),
      cell(item.title),
      `${item.dots} (${item.dotVoters})`,
      num(item.wsjf),
      ...stats,
      item.moscow.top ? cell(moscowLabels[item.moscow.top]) : '–',
      item.kano?.dominant ? cell(kanoCategoryLabels[item.kano.dominant]) : '–',
      item.contested ? 'yes' : '',
    ];
    lines.push(`| ${row.join(' | ')} |`);
  });
  if (r.participants && !r.anonymous && r.methods.includes('dots')) {
    const ranked = rankedItems(r);
    lines.push('', '## Who put dots where', '');
    lines.push(
      `| Participant | ${ranked.map((i) => cell(i.title)).join(' | ')} |`,
      `|${[0, ...ranked].map(() => ' --- ').join('|')}|`,
    );
    for (const p of r.participants) {
      lines.push(
        `| ${cell(p.name)}${p.groupName ? ` (${cell(p.groupName)})` : ''} | ${ranked.map((i) => String(p.dots.find((d) => d.itemId === i.itemId)?.dots ?? 0)).join(' | ')} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
