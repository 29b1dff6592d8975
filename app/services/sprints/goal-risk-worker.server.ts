import type { AppServices } from '~/context';
import { startTicker, type Ticker } from '~/services/ticker.server';
import { checkRunningSprints } from './goal-risk.server';

/**
 * The sprint goal at risk said early, also when nobody looks (issue 18): every quarter of an hour each running
 * sprint's projection is checked, so a goal that falls at risk as the days pass is recorded, and everyone in the
 * product told, the same day. Every copy of the server may run it: a change is recorded once (decision 0039).
 */
export function startGoalRiskWorker(
  services: Pick<AppServices, 'db' | 'log'>,
  options: { tickMs?: number } = {},
): Ticker {
  return startTicker({
    tickMs: options.tickMs ?? 15 * 60_000,
    firstMs: 5_000,
    async tick() {
      const changes = await checkRunningSprints(services.db);
      for (const c of changes)
        services.log.info({ event: 'sprint_goal_risk_changed', sprintId: c.sprintId, change: c.change });
    },
    onError: (error) => services.log.error({ event: 'goal_risk_worker_failed', err: error }),
  });
}
