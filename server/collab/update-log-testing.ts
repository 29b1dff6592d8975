import type { Db } from '../../db/client';
import { createLogger } from '../logger';

/** A logger whose JSON lines the test can read. */
export function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, events: () => lines.map((line) => line.event) };
}

/**
 * The database, with a switch that makes it unreachable: while `down`, every query throws as a lost connection
 * does. Queries already running finish.
 */
export function flakyDatabase(db: Db) {
  const state = { down: false, failures: 0 };
  const entryPoints = new Set(['select', 'insert', 'update', 'delete', 'execute', 'transaction']);
  const flaky = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && entryPoints.has(property)) {
        return (...args: unknown[]) => {
          if (state.down) {
            state.failures += 1;
            throw new Error('connect ECONNREFUSED (simulated by the test)');
          }
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
  return { db: flaky, state };
}
