/**
 * Who may do what, as pure functions: every permission rule the server checks for a product's items, its sessions
 * and its reviews, named after what people do (docs/product-rules.md, "Roles"). `roles.ts` holds the grants per
 * role; these rules combine them with what the situation adds (who facilitates, what the facilitator allows).
 * Services, API operations, the live channel and the pages all ask here, so a rule changes in one place.
 */
import { type ActorRole, can } from './roles';
import { mayVoteIn } from './session-guests';

/** Someone as a session sees them: their role in the product (or guest), and whether they are its named facilitator. */
export interface SessionActor {
  role: ActorRole;
  isFacilitator: boolean;
}

/**
 * Runs a session: moves its phases, picks the item, opens and closes rounds and votes, starts the timer, ends it.
 * The named facilitator, and the product owner always (a meeting never stalls on someone who left).
 */
export const mayFacilitate = (actor: SessionActor): boolean =>
  actor.isFacilitator || can(actor.role, 'session.run');

/** Reveals poker cards or voting results: whoever facilitates, nobody else. */
export const mayReveal = (actor: SessionActor): boolean => mayFacilitate(actor);

/** May be named facilitator or handed facilitation: the product owner and team members, not stakeholders or guests. */
export const mayBeFacilitator = (role: ActorRole | null | undefined): boolean =>
  role === 'product_owner' || role === 'team_member';

/**
 * Plays a poker card in a refinement: the product owner and the team; a guest only while the facilitator lets guests
 * estimate.
 */
export const mayEstimate = (
  role: ActorRole | null | undefined,
  settings: { guestsEstimate: boolean },
): boolean => mayVoteIn(role, 'refinement', settings);

/** Gives an item's job size in a WSJF scoring (a team estimate): the product owner and the team. */
export const mayGiveJobSize = (role: ActorRole | null | undefined): boolean => can(role, 'item.estimate');

/** Edits an item's text (title, description, acceptance criteria), live or by form: the product owner and the team. */
export const mayEditText = (role: ActorRole | null | undefined): boolean => can(role, 'backlog.edit');

/** Accepts or rejects finished work at a review: the product owner alone. */
export const mayAccept = (role: ActorRole | null | undefined): boolean => can(role, 'review.decide');

/** Changes the backlog's order (moves, applied proposals): the product owner alone. */
export const mayOrder = (role: ActorRole | null | undefined): boolean => can(role, 'backlog.order');

/** Sets up a session's people (stakeholder groups, who may join): the product owner. */
export const mayManageSession = (role: ActorRole | null | undefined): boolean => can(role, 'session.run');
