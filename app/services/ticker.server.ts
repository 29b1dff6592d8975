/**
 * The loop every background worker runs (the Jira sync, the webhooks' sender, votes before the meeting): one tick
 * at a time, the next `tickMs` after the last one ended; `kick` asks for a tick now (or right after the running one);
 * `stop` ends the loop and waits for a running tick. A failing tick is reported and the loop goes on.
 */
export interface Ticker {
  kick(): void;
  stop(): Promise<void>;
}

export function startTicker(options: {
  tickMs: number;
  /** the first tick, after start */
  firstMs: number;
  /** one pass of the worker's work; `stopped` says whether to stop early */
  tick: (stopped: () => boolean) => Promise<unknown>;
  onError: (error: unknown) => void;
}): Ticker {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  const isStopped = () => stopped;

  let dueAt = Number.POSITIVE_INFINITY;

  // A tick already due sooner stays: a kick whose timer has not fired yet is not pushed back by the end of a
  // running tick scheduling the next one a whole interval later.
  const schedule = (ms: number) => {
    if (stopped) return;
    const at = Date.now() + ms;
    if (timer && at >= dueAt) return;
    if (timer) clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(run, ms);
    timer.unref?.();
  };
  function run() {
    timer = null;
    dueAt = Number.POSITIVE_INFINITY;
    if (running) {
      again = true;
      return;
    }
    running = options
      .tick(isStopped)
      .then(() => undefined)
      .catch(options.onError)
      .finally(() => {
        running = null;
        schedule(again ? 0 : options.tickMs);
        again = false;
      });
  }

  schedule(options.firstMs);
  return {
    kick: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
