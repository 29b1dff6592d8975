import { eq } from 'drizzle-orm';
import { isDatabaseBusy, oneAtATime } from '../../../db/busy';
import type { Db, Tx } from '../../../db/client';
import { sessionAgenda } from '../../../db/schema';
import { AppError } from '~/domain/errors';
import { busyRefusal } from '~/services/busy.server';
import { type SessionAccess, type SessionRow, assertOpen, sessionAccessMany } from './access.server';

/**
 * Runs a batch of one session command from several callers (group commit, decision 0027) in one transaction with
 * the session row locked, as `sessionCommand` runs one: the same lock, the same queue in this process, the same
 * refusal of an ended session. `run` gets each caller's access (or the refusal they would get alone) and answers
 * each caller. A refusal that concerns the whole session (ended, gone, the database busy) answers every caller with
 * it; any other failure is thrown, and group commit then writes the callers one at a time.
 */
export async function sessionBatchCommand<Answer>(
  db: Db,
  sessionId: string,
  actorIds: readonly string[],
  run: (
    tx: Tx,
    session: SessionRow,
    accessOf: Map<string, SessionAccess | AppError>,
  ) => Promise<Array<Answer | Error>>,
): Promise<Array<Answer | Error>> {
  try {
    return await oneAtATime(db, `session:${sessionId}`, () =>
      db.transaction(async (tx) => {
        const { session, accessOf } = await sessionAccessMany(tx, sessionId, actorIds, { lock: true });
        assertOpen(session);
        return run(tx, session, accessOf);
      }),
    );
  } catch (error) {
    if (isDatabaseBusy(error)) return actorIds.map(() => busyRefusal());
    if (error instanceof AppError) return actorIds.map(() => error);
    throw error;
  }
}

/**
 * Runs each caller's own checks on their request: what `check` returns, or the refusal it threw (or the caller's
 * access refusal), which stays that request's answer alone.
 */
export function checkEach<Request extends { actorId: string }, Checked>(
  batch: readonly Request[],
  accessOf: Map<string, SessionAccess | AppError>,
  check: (access: SessionAccess, request: Request) => Checked,
): Array<Checked | AppError> {
  return batch.map((request) => {
    const access = accessOf.get(request.actorId)!;
    if (access instanceof AppError) return access;
    try {
      return check(access, request);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  });
}

/** The ids of the items on a session's agenda, for checking many votes at once. */
export async function agendaItemIds(tx: Tx, sessionId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ itemId: sessionAgenda.itemId })
    .from(sessionAgenda)
    .where(eq(sessionAgenda.sessionId, sessionId));
  return new Set(rows.map((row) => row.itemId));
}

export const notOnAgenda = () =>
  new AppError('invalid', 'That item is not on this session’s agenda', { field: 'itemId' });
