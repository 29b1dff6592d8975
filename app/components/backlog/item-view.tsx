import { Fragment } from 'react';
import { kanoCategoryLabels } from '~/domain/kano';
import { moscowLabels } from '~/domain/moscow';
import type { Readiness } from '~/domain/readiness';
import type { EditableItem } from './item-form';
import { outcomeLabels, statusLabels, typeLabels, wsjfPartLabels } from './labels';

const parts = ['userBusinessValue', 'timeCriticality', 'riskReduction', 'jobSize'] as const;

/** The item for people who may not edit it (stakeholders): the same facts, as text. */
export function ItemView({
  item,
  epicTitle,
  checklist,
  readiness,
  liveText = false,
}: {
  item: EditableItem;
  epicTitle: string | null;
  checklist: ReadonlyArray<{ id: string; text: string }>;
  readiness: Readiness;
  /** the description is shown live elsewhere on the page (LiveItemText) */
  liveText?: boolean;
}) {
  const or = (v: string | number | null | undefined, none = '–') =>
    v === null || v === undefined || v === '' ? none : String(v);
  return (
    <div className="item-view stack">
      <section aria-labelledby="view-story" className="card">
        <h2 id="view-story">Story</h2>
        <dl className="facts">
          <dt>Type</dt>
          <dd>{typeLabels[item.type]}</dd>
          <dt>Status</dt>
          <dd>{statusLabels[item.status]}</dd>
          <dt>Parent epic</dt>
          <dd>{or(epicTitle, 'None')}</dd>
          <dt>Estimate</dt>
          <dd>{item.estimate === null ? 'Not estimated' : `${item.estimate} points`}</dd>
          <dt>Labels</dt>
          <dd>{item.labels.length ? item.labels.join(', ') : 'None'}</dd>
        </dl>
        {liveText ? null : (
          <>
            <h3>Description</h3>
            <p className="prewrap">{or(item.description, 'No description yet.')}</p>
          </>
        )}
      </section>
      <section aria-labelledby="view-priority" className="card">
        <h2 id="view-priority">Priority</h2>
        <dl className="facts">
          <dt>MoSCoW</dt>
          <dd>{item.moscow ? moscowLabels[item.moscow] : 'Not decided'}</dd>
          {parts.map((p) => (
            <Fragment key={p}>
              <dt>{wsjfPartLabels[p]}</dt>
              <dd>{or(item[p], 'Not scored')}</dd>
            </Fragment>
          ))}
          <dt>WSJF score</dt>
          <dd>{or(item.wsjf)}</dd>
          <dt>Kano category</dt>
          <dd>{item.kano ? kanoCategoryLabels[item.kano] : 'Not classified'}</dd>
        </dl>
      </section>
      <section aria-labelledby="view-outcome" className="card">
        <h2 id="view-outcome">Outcome</h2>
        <dl className="facts">
          <dt>Impact hypothesis</dt>
          <dd className="prewrap">{or(item.impactHypothesis)}</dd>
          <dt>Success metric</dt>
          <dd>{or(item.successMetric)}</dd>
          {item.type === 'tech_debt' || item.debtImpact ? (
            <>
              <dt>Debt impact</dt>
              <dd className="prewrap">{or(item.debtImpact)}</dd>
            </>
          ) : null}
          <dt>Outcome after release</dt>
          <dd>{item.outcome ? outcomeLabels[item.outcome] : 'Not recorded'}</dd>
        </dl>
      </section>
      <section aria-labelledby="view-dor" className="card">
        <h2 id="view-dor">Definition of Ready</h2>
        <p>
          {readiness.met} of {readiness.total} checked
          {readiness.blockedByDependencies ? '; blocked by an unfinished item' : ''}
        </p>
        <ul className="checklist">
          {checklist.map((c) => (
            <li key={c.id}>
              <span aria-hidden="true">{item.readyChecks[c.id] ? '☑ ' : '☐ '}</span>
              <span className="visually-hidden">
                {item.readyChecks[c.id] ? 'Checked: ' : 'Not checked: '}
              </span>
              {c.text}
            </li>
          ))}
        </ul>
        {item.readyOverrideReason ? (
          <p>Ready by the product owner’s override: “{item.readyOverrideReason}”</p>
        ) : null}
      </section>
    </div>
  );
}
