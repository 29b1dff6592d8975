import type { SprintViewData } from '~/components/review/types';
import { type DebtStatus, debtPlanLine, debtStatusLabels } from '~/domain/debt-share';

const badgeClass: Record<DebtStatus, string> = {
  none: 'badge',
  under: 'badge badge-warn',
  on: 'badge badge-ok',
  over: 'badge badge-warn',
  unknown: 'badge',
};

/**
 * The technical debt planned in the sprint against the product's share ("Technical debt: 5 of 40 points planned
 * (13 %), share 20 % → 8 points") with an under / on / over badge, and the debt items' impacts, so the product
 * owner can argue for them.
 */
export function DebtShareLine({ debt, productId }: { debt: SprintViewData['debt']; productId: string }) {
  return (
    <section aria-labelledby="debt-share-title" className="stack">
      <h3 id="debt-share-title" className="visually-hidden">
        Technical debt
      </h3>
      <p data-testid="debt-share-line">
        {debtPlanLine(debt)}{' '}
        {debt.share === null ? null : (
          <span className={badgeClass[debt.status]}>{debtStatusLabels[debt.status]}</span>
        )}
      </p>
      {debt.items.length > 0 ? (
        <ul aria-label="What the debt in this sprint costs">
          {debt.items.map((item) => (
            <li key={item.id}>
              <a href={`/products/${productId}/items/${item.id}`}>{item.title}</a>
              {item.estimate === null ? ' (not estimated)' : ` (${item.estimate} points)`}
              {': '}
              {item.impact ? item.impact : <span className="muted">no impact written yet</span>}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
