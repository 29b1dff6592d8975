/**
 * The server's clock as seen from a browser. Countdowns are computed from the server's time, so screens agree
 * whatever their own clocks say. Each answer that carries the server's time is a sample: the server read its
 * clock somewhere between sending and receiving, so the middle is the best guess and half the round trip the
 * error. Of several samples, the one with the shortest round trip is the most exact (as NTP does).
 */
export interface ClockSample {
  /** server time minus local time, in ms */
  offset: number;
  /** how long the answer took, in ms: the sample is at most half of it off */
  roundTrip: number;
}

/** A sample from a request sent at local `sentAt`, answered with `serverTime`, received at local `receivedAt`. */
export function clockSample(sentAt: number, serverTime: number, receivedAt: number): ClockSample | null {
  if (![sentAt, serverTime, receivedAt].every(Number.isFinite) || receivedAt < sentAt) return null;
  return { offset: Math.round(serverTime - (sentAt + receivedAt) / 2), roundTrip: receivedAt - sentAt };
}

/** Samples kept: the latest few, so a clock that was corrected (NTP on the laptop) is followed. */
export const keptSamples = 5;

/** Adds a sample to the kept ones (the newest `keptSamples`). */
export function addSample(samples: readonly ClockSample[], sample: ClockSample): ClockSample[] {
  return [...samples, sample].slice(-keptSamples);
}

/** The offset to use: that of the sample with the shortest round trip; 0 before any sample. */
export function bestOffset(samples: readonly ClockSample[]): number {
  let best: ClockSample | null = null;
  for (const s of samples) if (!best || s.roundTrip < best.roundTrip) best = s;
  return best?.offset ?? 0;
}
