/**
 * The events a product's webhooks can receive (decision 0041). Every decision-log entry is an event
 * `decision.<kind>` (the kinds in app/services/backlog/decisions.server.ts); the notifications that are not
 * decisions have their own types (app/domain/notification-kinds.ts); `ping` is the "send a test" button's.
 * A webhook's filter lists types, or a prefix ending in `.*` (e.g. `decision.*`); an empty filter receives all.
 */
export const eventFilterPattern = /^[a-z][a-z_]*(\.([a-z_]+|\*))?$/;
export const maxEventFilters = 50;

export const decisionEventType = (kind: string) => `decision.${kind}`;

export function eventMatches(filter: readonly string[], type: string): boolean {
  if (type === 'ping' || filter.length === 0) return true;
  return filter.some((f) => (f.endsWith('.*') ? type.startsWith(f.slice(0, -1)) : f === type));
}

/** The JSON every delivery carries; `data` depends on the type. */
export interface WebhookPayload {
  id: string;
  type: string;
  productId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}
