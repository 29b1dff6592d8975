import { useSyncExternalStore } from 'react';
import { type ClockSample, addSample, bestOffset, clockSample } from '~/domain/server-clock';

/*
 * This browser's view of the server's clock (see app/domain/server-clock.ts). Every live-token answer carries the
 * server's time, so the offset is measured on each (re)connection of a live document, and countdowns count from
 * the server's time: screens agree whatever their own clocks say.
 */

let samples: ClockSample[] = [];
let offset: number | null = null;
const listeners = new Set<() => void>();

/** Records the server's time `serverTime` from an answer to a request sent at `sentAt`, received at `receivedAt`. */
export function recordServerTime(sentAt: number, serverTime: unknown, receivedAt: number) {
  const sample = typeof serverTime === 'number' ? clockSample(sentAt, serverTime, receivedAt) : null;
  if (!sample) return;
  samples = addSample(samples, sample);
  const next = bestOffset(samples);
  if (next === offset) return;
  offset = next;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};

/** Server time minus this browser's time, in ms; null until measured (and while rendering on the server). */
export function useServerClockOffset(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => offset,
    () => null,
  );
}

/** The server's time now, as well as this browser knows it. */
export function serverNow(): number {
  return Date.now() + (offset ?? 0);
}
