/**
 * The one parser/formatter for live document names. A name is "<kind>:<uuid>"; anything else is refused.
 * - product: public backlog state of a product, written by the server only;
 * - session: public state of a session (phase, current item, who has voted, revealed results), server only;
 * - item: the collaborative text of a backlog item (description and acceptance criteria), edited by people.
 */
export const documentKinds = ['product', 'session', 'item'] as const;
export type DocumentKind = (typeof documentKinds)[number];
export interface DocumentName {
  kind: DocumentKind;
  id: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function formatDocumentName(name: DocumentName): string {
  if (!uuid.test(name.id)) throw new Error(`Not a document id: ${name.id}`);
  return `${name.kind}:${name.id}`;
}

export function parseDocumentName(value: string): DocumentName | null {
  if (value.length > 100) return null;
  const colon = value.indexOf(':');
  if (colon < 0) return null;
  const kind = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (!(documentKinds as readonly string[]).includes(kind) || !uuid.test(id)) return null;
  return { kind: kind as DocumentKind, id };
}

export const productDocument = (productId: string) => formatDocumentName({ kind: 'product', id: productId });
export const sessionDocument = (sessionId: string) => formatDocumentName({ kind: 'session', id: sessionId });
export const itemDocument = (itemId: string) => formatDocumentName({ kind: 'item', id: itemId });
