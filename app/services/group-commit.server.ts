/**
 * Group commit: requests for one key (say, the votes of one session) that arrive while a batch of them is being
 * written wait and are written together in the next one: one transaction, one lock, a handful of statements for
 * the whole batch instead of ten for each request. Under a burst the batches grow, so the time to answer stays
 * about one transaction long instead of growing with the queue; alone, a request is a batch of one and waits for
 * nothing. Each request gets its own answer (or its own refusal). See decision 0027.
 *
 * `write` receives the batch in arrival order and answers each request: a value, or an Error for that request
 * alone. If `write` itself throws, a batch of one rejects with that error; a larger batch is written again one
 * request at a time, so one bad request can never refuse the others.
 */
export function groupCommit<Request, Answer>(
  owner: object,
  key: string,
  request: Request,
  write: (batch: Request[]) => Promise<Array<Answer | Error>>,
): Promise<Answer> {
  let queues = queuesByOwner.get(owner);
  if (!queues) {
    queues = new Map();
    queuesByOwner.set(owner, queues);
  }
  let queue = queues.get(key) as Queue<Request, Answer> | undefined;
  if (!queue) {
    queue = { waiting: [], writing: false };
    queues.set(key, queue as Queue<unknown, unknown>);
  }
  const mine = queue;
  return new Promise<Answer>((resolve, reject) => {
    mine.waiting.push({ request, resolve, reject, write });
    if (!mine.writing) void drain(queues, key, mine);
  });
}

/** The most requests written in one transaction: a bound on a statement's size and on one batch's time. */
export const maxBatch = 250;

interface Pending<Request, Answer> {
  request: Request;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
  write(batch: Request[]): Promise<Array<Answer | Error>>;
}

interface Queue<Request, Answer> {
  waiting: Array<Pending<Request, Answer>>;
  writing: boolean;
}

/** Per owner (a database: test suites open several in one process), per key. */
const queuesByOwner = new WeakMap<object, Map<string, Queue<unknown, unknown>>>();

async function drain<Request, Answer>(
  queues: Map<string, Queue<unknown, unknown>>,
  key: string,
  queue: Queue<Request, Answer>,
) {
  queue.writing = true;
  try {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, maxBatch);
      await writeBatch(batch);
    }
  } finally {
    queue.writing = false;
    if (queue.waiting.length === 0 && queues.get(key) === queue) queues.delete(key);
  }
}

async function writeBatch<Request, Answer>(batch: Array<Pending<Request, Answer>>) {
  const write = batch[0].write;
  let answers: Array<Answer | Error>;
  try {
    answers = await write(batch.map((p) => p.request));
  } catch (error) {
    if (batch.length === 1) {
      batch[0].reject(error);
      return;
    }
    for (const one of batch) await writeBatch([one]);
    return;
  }
  batch.forEach((pending, i) => {
    const answer = answers[i];
    if (answer instanceof Error) pending.reject(answer);
    else pending.resolve(answer);
  });
}
