// What several benchmarks share: percentiles and timing, the machine and its load, a child process spoken to over
// IPC (client and server processes of the live benchmarks), one wall clock across processes, JSON over HTTP.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import http from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

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

export const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

/**
 * Wall-clock milliseconds with sub-millisecond precision: one clock for every process on this machine, so a time
 * taken in one client process can be compared with one taken in another (or in the benchmark's own process).
 */
export const now = () => performance.timeOrigin + performance.now();

/**
 * Which cores the live benchmarks' servers and clients may run on (`taskset` lists such as `0` or `1-3`):
 * BENCH_SERVER_CPUS for the servers (each with all its threads: the embedded database's too),
 * BENCH_CLIENT_CPUS for the client processes and the benchmark's own. Unset: anywhere, as the system schedules.
 * On a small machine this gives the server a core the clients cannot take, so a server's latency is its own.
 */
export const cpuSets = {
  server: process.env.BENCH_SERVER_CPUS || undefined,
  client: process.env.BENCH_CLIENT_CPUS || undefined,
};

/** Binds a running process and all its threads (those it starts later inherit it) to `cpus`. */
export function pin(pid: number | undefined, cpus: string | undefined) {
  if (!cpus || pid === undefined) return;
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)], { stdio: 'ignore' });
}

export const pinning = () =>
  cpuSets.server || cpuSets.client
    ? `servers on CPUs ${cpuSets.server ?? 'any'}, clients on CPUs ${cpuSets.client ?? 'any'} (taskset)`
    : 'no CPU pinning';

/** A child process answering requests over IPC; answers are matched to waiters by type, in order. */
export class Child<Req, Ans extends { type: string }> {
  readonly child: ChildProcess;
  private exited = false;
  private readonly waiters: Array<{ type: string; resolve(answer: Ans): void; reject(error: Error): void }> =
    [];

  constructor(
    readonly label: string,
    script: string,
    args: string[],
    execArgv: string[],
    cpus?: string,
  ) {
    this.child = fork(path.join(import.meta.dirname, script), args, {
      cwd: root,
      execArgv: ['--import', 'tsx', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    pin(this.child.pid, cpus);
    this.child.on('message', (answer: Ans) => {
      if (answer.type === 'error') {
        const message = 'message' in answer ? String(answer.message) : 'error';
        for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`${this.label}: ${message}`));
        return;
      }
      const at = this.waiters.findIndex((waiter) => waiter.type === answer.type);
      if (at >= 0) this.waiters.splice(at, 1)[0].resolve(answer);
    });
    this.child.on('exit', (code) => {
      this.exited = true;
      for (const waiter of this.waiters.splice(0))
        waiter.reject(new Error(`${this.label} exited (${code}) before answering`));
    });
    // A child that died already: its exit is reported to whoever waited.
    this.child.on('error', () => {});
  }

  next<T extends Ans['type']>(type: T): Promise<Extract<Ans, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited) reject(new Error(`${this.label} has exited`));
      else this.waiters.push({ type, resolve: resolve as (answer: Ans) => void, reject });
    });
  }

  ask<T extends Ans['type']>(request: Req, type: T) {
    const answer = this.next(type);
    this.child.send(request as object);
    return answer;
  }

  async stop(request: Req) {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.send(request as object);
    const forced = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  }
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several operations
  json: any;
}

/**
 * JSON over HTTP to `base`'s /api/v1, one connection per request (no keep-alive): a reused idle socket that the
 * server closes at the same moment fails the request (ECONNRESET), which a busy 2-core machine makes likely between
 * phases.
 */
export function api(base: string) {
  return (method: string, route: string, token: string | null, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        `${base}/api/v1${route}`,
        {
          method,
          agent: false,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            try {
              resolve({ status, json: text ? JSON.parse(text) : null });
            } catch {
              resolve({ status, json: { detail: text.slice(0, 200) } });
            }
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}
