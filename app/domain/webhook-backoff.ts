/**
 * When a failed webhook delivery is tried again (decision 0041): after 10 s, 30 s, 2 min, 10 min, then 1 h, so
 * six attempts in all over about 73 minutes; after the last one it is failed for good (the delivery log offers
 * "retry now"). `firstSeconds` scales the whole schedule (WEBHOOK_RETRY_FIRST_SECONDS; tests make it tiny).
 */
export const retryDelaysSeconds = [10, 30, 120, 600, 3600] as const;
export const defaultMaxAttempts = retryDelaysSeconds.length + 1;

/**
 * The wait before the next attempt after `attempts` attempts have failed (1 after the first), in milliseconds; null
 * when no attempt is left. Past the schedule's end the last delay repeats (with more attempts configured).
 */
export function retryDelayMs(
  attempts: number,
  options: { firstSeconds?: number; maxAttempts?: number } = {},
): number | null {
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  if (attempts < 1 || attempts >= maxAttempts) return null;
  const scale = (options.firstSeconds ?? retryDelaysSeconds[0]) / retryDelaysSeconds[0];
  const base = retryDelaysSeconds[Math.min(attempts, retryDelaysSeconds.length) - 1];
  return Math.round(base * scale * 1000);
}

/** A status the receiver answers that counts as delivered: any 2xx. Redirects are not followed (a failure). */
export const isDelivered = (status: number) => status >= 200 && status < 300;
