import { describe, expect, it } from 'vitest';
import { startTicker } from './ticker.server';

/** Resolves once `check` holds, polling each event-loop turn (no fixed sleeps). */
async function until(check: () => boolean) {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('startTicker', () => {
  it('ticks one at a time, again at once when kicked during a tick, and goes on after a failing tick', async () => {
    const errors: unknown[] = [];
    let ticks = 0;
    let inFlight = 0;
    let most = 0;
    let release: (() => void) | null = null;
    const ticker = startTicker({
      tickMs: 60_000,
      firstMs: 0,
      onError: (error) => errors.push(error),
      async tick() {
        ticks += 1;
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (ticks === 1) await new Promise<void>((resolve) => (release = resolve));
        inFlight -= 1;
        if (ticks === 2) throw new Error('Jira is down');
      },
    });
    await until(() => release !== null);
    ticker.kick(); // during the first tick: runs right after it, not beside it
    release!();
    await until(() => ticks === 2 && errors.length === 1);
    ticker.kick(); // after a failing tick the loop still answers
    await until(() => ticks === 3);
    expect(most).toBe(1);
    expect(errors).toEqual([new Error('Jira is down')]);
    await ticker.stop();
    ticker.kick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(ticks).toBe(3);
  });

  it('stop waits for the running tick and tells it to stop early', async () => {
    let sawStop = false;
    let started = false;
    const ticker = startTicker({
      tickMs: 60_000,
      firstMs: 0,
      onError: () => undefined,
      async tick(stopped) {
        started = true;
        await until(stopped);
        sawStop = true;
      },
    });
    await until(() => started);
    await ticker.stop();
    expect(sawStop).toBe(true);
  });
});
