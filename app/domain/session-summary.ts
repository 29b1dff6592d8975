/** The summary of an ended (or running) session and its Markdown export. Pure: built from facts the server read. */
export interface SessionSummary {
  title: string;
  kind: string;
  productName: string;
  startedAt: string | null;
  endedAt: string | null;
  facilitator: string;
  participants: Array<{ name: string; spectator: boolean }>;
  items: Array<{
    title: string;
    type: string;
    status: string;
    estimateBefore: number | null;
    estimateAfter: number | null;
    ready: boolean;
    readyMet: number;
    readyTotal: number;
    rounds: number;
    lastTally: { mean: number | null; median: string | null; wideSpread: boolean } | null;
  }>;
  newStories: Array<{ title: string; parentTitle: string | null }>;
  openQuestions: Array<{ text: string; author: string; itemTitle: string | null }>;
  resolvedQuestions: number;
  /** A three amigos session's story, its three and what they recorded; absent for other kinds. */
  threeAmigos?: ThreeAmigosSummary;
}

export interface ThreeAmigosSummary {
  story: string;
  /** all three marked a shared understanding (the session then ended) */
  agreed: boolean;
  people: Array<{ name: string; part: string; marked: boolean }>;
  questions: Array<{ text: string; answered: boolean }>;
  dependencies: Array<{ text: string; on: string | null }>;
  assumptions: string[];
  /** the scenarios the tester added to the acceptance criteria */
  cases: string[];
}

function amigosMarkdown(a: ThreeAmigosSummary): string[] {
  const lines = ['', '## Three amigos', ''];
  lines.push(
    `On ${escapeMarkdown(a.story)}: ${a.agreed ? 'all three marked a shared understanding.' : 'no shared understanding marked by all three yet.'}`,
    '',
  );
  for (const p of a.people)
    lines.push(
      `- ${escapeMarkdown(p.part)}: ${escapeMarkdown(p.name)}${p.marked ? ' (understood)' : ' (not marked)'}`,
    );
  const list = (title: string, entries: string[]) => {
    lines.push('', `### ${title}`, '');
    if (entries.length === 0) lines.push('None.');
    for (const entry of entries) lines.push(`- ${entry}`);
  };
  list(
    'Questions',
    a.questions.map((q) => `${escapeMarkdown(q.text)}${q.answered ? ' (answered)' : ' (open)'}`),
  );
  list(
    'Dependencies',
    a.dependencies.map((d) => `${escapeMarkdown(d.text)}${d.on ? ` (on ${escapeMarkdown(d.on)})` : ''}`),
  );
  list('Assumptions', a.assumptions.map(escapeMarkdown));
  // A scenario keeps its lines: an indented code block shows them as typed, and no line of it can end the block.
  lines.push('', '### Cases added', '');
  if (a.cases.length === 0) lines.push('None.');
  for (const scenario of a.cases) lines.push(...scenario.split(/\r?\n/).map((line) => `    ${line}`), '');
  return lines;
}

/** Text from people goes into Markdown as text: characters with a meaning in Markdown or HTML are escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const estimate = (n: number | null) => (n === null ? '–' : String(n));

export function summaryMarkdown(s: SessionSummary): string {
  const lines: string[] = [];
  lines.push(`# ${escapeMarkdown(s.title)}`, '');
  lines.push(
    `${escapeMarkdown(s.kind)} for ${escapeMarkdown(s.productName)}, facilitated by ${escapeMarkdown(s.facilitator)}.`,
  );
  if (s.startedAt)
    lines.push(`Started ${s.startedAt}${s.endedAt ? `, ended ${s.endedAt}` : ' (still running)'}.`);
  if (s.threeAmigos) lines.push(...amigosMarkdown(s.threeAmigos));
  lines.push('', '## Who took part', '');
  if (s.participants.length === 0) lines.push('Nobody joined.');
  for (const p of s.participants)
    lines.push(`- ${escapeMarkdown(p.name)}${p.spectator ? ' (watching)' : ''}`);
  lines.push('', '## Items', '');
  if (s.items.length === 0) lines.push('The agenda was empty.');
  else {
    lines.push('| Item | Estimate | Ready | Poker rounds | Status |', '|---|---|---|---|---|');
    for (const item of s.items) {
      const changed = item.estimateBefore !== item.estimateAfter;
      const est = changed
        ? `${estimate(item.estimateBefore)} → ${estimate(item.estimateAfter)}`
        : estimate(item.estimateAfter);
      const spread = item.lastTally?.wideSpread ? ', wide spread' : '';
      lines.push(
        `| ${escapeMarkdown(item.title)} | ${est} | ${item.ready ? 'yes' : `no (${item.readyMet}/${item.readyTotal})`} | ${item.rounds}${spread} | ${item.status.replace(/_/g, ' ')} |`,
      );
    }
  }
  lines.push('', '## New stories', '');
  if (s.newStories.length === 0) lines.push('None.');
  for (const n of s.newStories)
    lines.push(
      `- ${escapeMarkdown(n.title)}${n.parentTitle ? ` (from ${escapeMarkdown(n.parentTitle)})` : ''}`,
    );
  // A three amigos session's questions are the developer's notes, listed in its own section above.
  if (s.threeAmigos) return `${lines.join('\n')}\n`;
  lines.push('', '## Open questions', '');
  if (s.openQuestions.length === 0)
    lines.push(s.resolvedQuestions > 0 ? `None left (${s.resolvedQuestions} answered).` : 'None.');
  for (const q of s.openQuestions)
    lines.push(
      `- ${escapeMarkdown(q.text)} (${escapeMarkdown(q.author)}${q.itemTitle ? `, on ${escapeMarkdown(q.itemTitle)}` : ''})`,
    );
  return `${lines.join('\n')}\n`;
}
