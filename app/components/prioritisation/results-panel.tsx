import { useState } from 'react';
import { kanoCategoryLabels } from '~/domain/kano';
import { moscowLabels } from '~/domain/moscow';
import { anonymousWeightsRule, type NumericPart, type PartStats } from '~/domain/score-results';
import { DotPiles } from './dot-piles';
import { ScrollRegion } from './scroll-region';
import { type Method, type Results, shortPartLabels } from './types';

const wsjfParts: NumericPart[] = ['userBusinessValue', 'timeCriticality', 'riskReduction', 'jobSize'];

function Stats({ stats }: { stats: PartStats | undefined }) {
  if (!stats) return <span className="muted">—</span>;
  return (
    <span className="part-stats">
      <span>
        mean <strong>{stats.mean}</strong>
      </span>{' '}
      <span>median {stats.median}</span>{' '}
      <span className={stats.variation >= 0.3 ? 'spread is-wide' : 'spread'}>
        spread {stats.min}–{stats.max}
      </span>
    </span>
  );
}

/** The order the results table uses: by dots when the session had dots, else by WSJF. */
export function rankedResults(results: Results, methods: Method[]) {
  const items = [...results.items];
  if (methods.includes('dots')) return items.sort((a, b) => a.dotRank - b.dotRank);
  return items.sort((a, b) => (b.wsjf ?? -1) - (a.wsjf ?? -1));
}

/**
 * The revealed results, the same for everyone: totals and rank, each scored part's mean, median and spread, the
 * contested items marked, and (unless anonymous) who put dots where.
 */
export function ResultsPanel({ results, methods }: { results: Results; methods: Method[] }) {
  const rows = rankedResults(results, methods);
  const usesWsjf = methods.includes('wsjf');
  const usesDots = methods.includes('dots');
  // A dot vote is shown as dot piles first; the table (with every other method's scores) is one press away.
  const [view, setView] = useState<'piles' | 'table'>('piles');
  const piles = usesDots && view === 'piles';
  return (
    <section className="room-panel results-panel" aria-labelledby="results-title">
      <div className="results-head">
        <h3 id="results-title">Results</h3>
        {usesDots ? (
          <fieldset className="view-toggle">
            <legend className="visually-hidden">Show the results as</legend>
            <button type="button" aria-pressed={piles} onClick={() => setView('piles')}>
              Dot piles
            </button>
            <button type="button" aria-pressed={!piles} onClick={() => setView('table')}>
              {methods.length > 1 ? 'Table with every score' : 'Table'}
            </button>
          </fieldset>
        ) : null}
      </div>
      {rows.some((r) => r.contested) ? (
        <p className="hint">
          <span className="tag tag-contested">Contested</span> marks the items the scorers disagree on most:
          talk them through before deciding.
        </p>
      ) : null}
      {piles ? <DotPiles rows={rows} participants={results.participants} /> : null}
      {piles ? null : (
        <ScrollRegion label="Results per item (scrolls sideways)">
          <table className="results-table">
            <caption className="visually-hidden">Results per item, highest first</caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Item</th>
                {usesDots ? (
                  <th scope="col" className="num">
                    Dots
                  </th>
                ) : null}
                {usesWsjf ? (
                  <th scope="col" className="num">
                    WSJF
                  </th>
                ) : null}
                {usesWsjf
                  ? wsjfParts.map((p) => (
                      <th key={p} scope="col">
                        {shortPartLabels[p]}
                      </th>
                    ))
                  : null}
                {methods.includes('businessValue') ? <th scope="col">Business value</th> : null}
                {methods.includes('moscow') ? <th scope="col">MoSCoW</th> : null}
                {methods.includes('kano') ? <th scope="col">Kano</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.itemId} className={r.contested ? 'is-contested' : undefined}>
                  <td className="num">{i + 1}</td>
                  <th scope="row">
                    {r.title}
                    {r.contested ? <span className="tag tag-contested">Contested</span> : null}
                  </th>
                  {usesDots ? (
                    <td className="num">
                      <strong>{r.dots}</strong>
                      <span className="muted">
                        {' '}
                        ({r.dotVoters} {r.dotVoters === 1 ? 'voter' : 'voters'})
                      </span>
                    </td>
                  ) : null}
                  {usesWsjf ? (
                    <td className="num">
                      <strong>{r.wsjf ?? '—'}</strong>
                    </td>
                  ) : null}
                  {usesWsjf
                    ? wsjfParts.map((p) => (
                        <td key={p}>
                          <Stats stats={r.parts[p]} />
                        </td>
                      ))
                    : null}
                  {methods.includes('businessValue') ? (
                    <td>
                      <Stats stats={r.parts.businessValue} />
                    </td>
                  ) : null}
                  {methods.includes('moscow') ? (
                    <td>{r.moscow.top ? moscowLabels[r.moscow.top] : '—'}</td>
                  ) : null}
                  {methods.includes('kano') ? (
                    <td>{r.kano?.dominant ? kanoCategoryLabels[r.kano.dominant] : '—'}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {usesWsjf && results.wsjfWeights ? (
        <p className="hint">
          {`WSJF weighs the Cost-of-Delay parts as agreed in criteria v${results.wsjfWeights.version}: ` +
            `user-business value ×${results.wsjfWeights.weights.businessValue}, ` +
            `time criticality ×${results.wsjfWeights.weights.timeCriticality}, ` +
            `risk reduction ×${results.wsjfWeights.weights.riskReduction}.`}
        </p>
      ) : null}
      {results.participants && usesDots && !piles ? (
        <>
          <h4 className="who-title">Who put dots where</h4>
          <p className="hint scroll-hint" aria-hidden="true">
            Swipe the table sideways to see every item.
          </p>
          <ScrollRegion label="Who put dots where (scrolls sideways)">
            <table className="results-table who-table">
              <caption className="visually-hidden">Who put dots where</caption>
              <thead>
                <tr>
                  <th scope="col">Participant</th>
                  {rows.map((r) => (
                    <th key={r.itemId} scope="col" className="num">
                      {r.title}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {results.participants.map((p) => (
                  <tr key={p.participantId}>
                    <th scope="row">
                      {p.name}
                      {p.groupName ? <span className="muted"> ({p.groupName})</span> : null}
                    </th>
                    {rows.map((r) => (
                      <td key={r.itemId} className="num">
                        {p.dots.find((d) => d.itemId === r.itemId)?.dots ?? 0}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      ) : results.anonymous ? (
        <p className="muted">
          Anonymous session: the results do not say who voted what. {anonymousWeightsRule} The results stay as
          revealed (removing someone afterwards does not change them) until an item is reset for a new vote.
        </p>
      ) : null}
    </section>
  );
}
