import { cpus, totalmem } from 'node:os';

/** Percentile of a sorted-or-not sample (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

/** Runs `fn` `runs` times after `warmup` runs and returns the timings in milliseconds. */
export async function sample(
  runs: number,
  fn: (i: number) => Promise<unknown>,
  warmup = 5,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push((await time(() => fn(i)))[0]);
  return out;
}

export const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

export function report(name: string, samples: number[]) {
  console.log(
    `${name.padEnd(44)} n=${String(samples.length).padEnd(5)} p50 ${fmt(percentile(samples, 50)).padEnd(10)} p95 ${fmt(percentile(samples, 95))}`,
  );
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
