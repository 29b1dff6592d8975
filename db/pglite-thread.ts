import { Worker } from 'node:worker_threads';

/** What drizzle's PGlite driver asks of a client: one-statement queries and transactions (drizzle-orm/pglite). */
export interface QueryClient {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult>;
}

export interface PgliteClient extends QueryClient {
  transaction<T>(work: (tx: QueryClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** resolves once the thread has stopped, for whatever reason */
  readonly stopped: Promise<void>;
}

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

interface QueryResult {
  rows: unknown[];
  fields: Array<{ name: string; dataTypeID: number }>;
  affectedRows?: number;
}

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorFields };
type ErrorFields = { name: string; message: string; stack?: string } & Record<string, unknown>;

/** An error of the database thread, with its fields (code, detail, constraint...) as PGlite gave them. */
function rebuild(fields: ErrorFields): Error {
  const { name, message, stack, ...rest } = fields;
  const error = Object.assign(new Error(message), rest);
  error.name = name;
  if (stack)
    error.stack = `${stack}\n    --- in the database thread, asked from ---\n${new Error().stack?.split('\n').slice(2).join('\n')}`;
  return error;
}

/**
 * Pass-through parsers only: drizzle keeps dates, timestamps and intervals as text, and a function cannot cross to
 * the thread. Anything else is refused rather than silently dropped.
 */
function passThroughTypes(parsers: QueryOptions['parsers']): number[] {
  if (!parsers) return [];
  return Object.entries(parsers).map(([oid, parse]) => {
    if (parse('2026-01-01 00:00:00', Number(oid)) !== '2026-01-01 00:00:00')
      throw new Error(`a parser for type ${oid} that changes values cannot run in the database thread`);
    return Number(oid);
  });
}

/**
 * Bytes as a copy of their own, handed over to the thread. A Yjs update is often a view into a much larger buffer
 * (the websocket message it came in); sent as it is, the whole buffer would be copied with it, about 1 ms a statement
 * in the live server's profile. The caller's bytes stay untouched.
 */
function ownBytes(value: unknown, transfer: ArrayBuffer[]): unknown {
  if (!(value instanceof Uint8Array)) return value;
  // new Uint8Array(view) copies (a Buffer's slice() would not).
  const copy = new Uint8Array(value);
  transfer.push(copy.buffer);
  return copy;
}

/**
 * Opens PGlite (a folder, or memory when `dataDir` is undefined) in a worker thread of its own and returns a client
 * drizzle's PGlite driver accepts. Decision record 0028: the database's work runs beside the event loop.
 */
export async function openPgliteThread(dataDir: string | undefined): Promise<PgliteClient> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir } });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let open = 0;
  let gone: Error | null = null;

  // The thread keeps the process alive only while something waits for it (a query, an open transaction).
  const busy = (delta: number) => {
    open += delta;
    if (open > 0) worker.ref();
    else worker.unref();
  };

  const ready = new Promise<void>((resolve, reject) => {
    waiting.set(0, { resolve: () => resolve(), reject });
  });
  worker.on('message', (message: Answer) => {
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(rebuild(message.error));
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = (error: Error) => {
      gone ??= error;
      for (const waiter of waiting.values()) waiter.reject(gone);
      waiting.clear();
      resolve();
    };
    worker.on('error', (error) => stop(new Error(`the embedded database stopped: ${error.message}`)));
    worker.on('exit', (code) => stop(new Error(`the embedded database stopped (exit code ${code})`)));
  });

  const request = (message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    busy(1);
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    }).finally(() => busy(-1));
  };

  const queryOn =
    (tx?: number) =>
    (sql: string, params: unknown[] = [], options: QueryOptions = {}) => {
      const transfer: ArrayBuffer[] = [];
      return request(
        {
          op: 'query',
          sql,
          params: params.map((value) => ownBytes(value, transfer)),
          rowMode: options.rowMode ?? 'object',
          raw: passThroughTypes(options.parsers),
          tx,
        },
        transfer,
      ) as Promise<QueryResult>;
    };

  busy(1);
  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  } finally {
    busy(-1);
  }

  return {
    query: queryOn(),
    async transaction<T>(work: (tx: QueryClient) => Promise<T>): Promise<T> {
      const tx = (await request({ op: 'begin' })) as number;
      busy(1);
      try {
        const result = await work({ query: queryOn(tx) });
        await request({ op: 'end', tx, commit: true });
        return result;
      } catch (error) {
        await request({ op: 'end', tx, commit: false }).catch(() => {});
        throw error;
      } finally {
        busy(-1);
      }
    },
    async close() {
      if (gone) return;
      await request({ op: 'close' });
      await worker.terminate();
    },
    stopped,
  };
}
