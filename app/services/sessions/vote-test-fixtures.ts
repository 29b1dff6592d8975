import type { Db } from '../../../db/client';
import { openTestDatabase } from '../../../db/test-database';
import { AppError } from '~/domain/errors';
import { createItem } from '~/services/backlog/items.server';
import { seedTeam } from '~/services/testing/team.server';
import { guestActor } from './access.server';
import { joinAsGuest } from './guests.server';
import { setVoting } from './prioritisation.server';
import { createSession } from './sessions.server';

/* Shared by the vote suites: a prioritisation session with voting open and guests in it, and a vote's outcome. */

const secret = 'vote-test-fixtures-secret-at-least-32-chars';

/** A command's answer, or its refusal's code and words (other errors still fail the test). */
export const outcome = (vote: Promise<unknown>) =>
  vote.then(
    (answer) => answer,
    (error) => {
      if (error instanceof AppError) return { refused: error.code, detail: error.message };
      throw error;
    },
  );

/** A prioritisation session on these items with voting open, and the actor ids of `guests` guests who joined it. */
export async function votingSession(
  db: Db,
  team: { productId: string; po: string },
  itemIds: string[],
  guests: number,
  methods: string[],
) {
  const session = await createSession(db, team.productId, team.po, {
    title: 'Votes',
    kind: 'prioritisation',
    agenda: itemIds,
    methods,
  } as never);
  await setVoting(db, session.id, team.po, 'open');
  const actors: string[] = [];
  for (let i = 0; i < guests; i++) {
    const joined = await joinAsGuest(db, secret, session.joinCode!, { displayName: `Guest ${i}` });
    actors.push(guestActor(joined.participantId));
  }
  return { id: session.id, actors };
}

/** A team with a product holding an item per title, on a database of its own. */
export async function votingProduct(kind: 'pglite' | 'postgres', titles: string[]) {
  const database = await openTestDatabase(kind);
  const team = await seedTeam(database.db);
  const itemIds: string[] = [];
  for (const title of titles) {
    itemIds.push((await createItem(database.db, team.productId, team.po, { title })).id);
  }
  return { database, team, itemIds };
}
