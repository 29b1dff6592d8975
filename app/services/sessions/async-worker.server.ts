import type { AppServices } from '~/context';
import { publishEffects } from '~/services/commands/live-effects.server';
import { startTicker } from '~/services/ticker.server';
import { closeExpiredWindows, type RecordedReminder, recordDueReminders } from './async-window.server';

export interface AsyncVotingWorker {
  stop(): Promise<void>;
}

/**
 * Votes before the meeting, in the background (issue 18): every tick closes the windows whose closing time has
 * passed (the decision log says how many voted; the rooms hear it) and records the reminders that are due. Every
 * copy of the server may run it: closing takes the session's row lock and only a window not yet closed is closed,
 * and each reminder is one row under a unique index, so two copies never close twice nor remind twice. Nothing is
 * kept in memory between ticks.
 *
 * Each reminder is written with its in-app notification; `deliver` is the seam for other channels (mail): it
 * gets the reminders recorded in this tick.
 */
export function startAsyncVotingWorker(
  services: Pick<AppServices, 'db' | 'live' | 'log'>,
  options: { tickMs?: number; deliver?: (reminders: RecordedReminder[]) => Promise<void> | void } = {},
): AsyncVotingWorker {
  async function tick(stopped: () => boolean) {
    const now = new Date();
    for (const sessionId of await closeExpiredWindows(services.db, now)) {
      if (stopped()) return;
      await publishEffects(services, 'asyncWindowClosed', [{ to: 'session', sessionId }]);
    }
    const reminders = await recordDueReminders(services.db, now);
    if (reminders.length > 0) {
      services.log.info({ event: 'async_vote_reminders_recorded', count: reminders.length });
      await options.deliver?.(reminders);
    }
  }

  const ticker = startTicker({
    tickMs: options.tickMs ?? 60_000,
    firstMs: 1000,
    tick,
    onError: (error) => services.log.error({ event: 'async_voting_worker_failed', err: error }),
  });
  return { stop: () => ticker.stop() };
}
