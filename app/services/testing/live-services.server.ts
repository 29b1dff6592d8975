import * as Y from 'yjs';
import type { Database } from '../../../db/client';
import { testServices } from '~/api/test-harness.server';
import type { AppServices } from '~/context';

/** Services whose live channel keeps one Y.Doc per document, as the clients would see them. */
export function liveServices(database: Database) {
  const docs = new Map<string, Y.Doc>();
  const services: AppServices = {
    ...testServices(database),
    live: {
      async update(name, change) {
        const doc = docs.get(name) ?? new Y.Doc();
        docs.set(name, doc);
        change(doc);
      },
    },
  };
  const version = (name: string, map: string) =>
    (docs.get(name)?.getMap(map).get('version') as number | undefined) ?? 0;
  /** what the map's `change` entry says now (the last publish's kind and items) */
  const change = (name: string, map: string) => docs.get(name)?.getMap(map).get('change');
  return { services, docs, version, change };
}
