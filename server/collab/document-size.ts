import type {
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  beforeSyncPayload,
  Extension,
  onChangePayload,
} from '@hocuspocus/server';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Logger } from '../logger';
import { insertsContent } from './frame-guard';
import { isLoggedDocument } from './persistence-extension';

/** Thrown (by the backstop in beforeSync) to refuse an update; Hocuspocus closes that document's connection with the reason. */
export class DocumentTooLarge extends Error {
  readonly code = 4413;
  readonly reason = 'document-too-large';
}

/**
 * A size cap per collaborative document (item texts). The size is known exactly after load and estimated after
 * that (the bytes of each applied update are added, an upper bound: Yjs merges and deletes shrink it); the exact
 * size is measured again only when the estimate reaches the cap. An update that inserts content is refused when
 * the document would grow past the cap; one that only deletes or formats always passes, so a document that is
 * over the cap (stored before the cap existed) can still be cut down. What was accepted is never dropped.
 */
export class DocumentSizeLimit implements Extension {
  extensionName = 'refinery-document-size';
  private readonly sizes = new Map<string, { estimate: number; doc: Y.Doc }>();

  constructor(private readonly options: { maxBytes: number; log: Logger }) {}

  get maxBytes() {
    return this.options.maxBytes;
  }

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload) {
    if (!isLoggedDocument(documentName)) return;
    this.sizes.set(documentName, { estimate: Y.encodeStateAsUpdate(document).length, doc: document });
  }

  async onChange({ documentName, update }: onChangePayload) {
    const entry = this.sizes.get(documentName);
    if (entry) entry.estimate += update.length;
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
    this.sizes.delete(documentName);
  }

  /** Whether an update of `bytes` that inserts content (or not) may be applied to the loaded document. */
  admits(documentName: string, bytes: number, addsContent: boolean): boolean {
    const entry = this.sizes.get(documentName);
    if (!entry || !addsContent) return true;
    if (entry.estimate + bytes <= this.options.maxBytes) return true;
    entry.estimate = Y.encodeStateAsUpdate(entry.doc).length;
    return entry.estimate + bytes <= this.options.maxBytes;
  }

  /** Size as last measured or estimated (tests, logs). */
  sizeOf(documentName: string): number | undefined {
    return this.sizes.get(documentName)?.estimate;
  }

  /**
   * The backstop for updates the frame guard could not judge (sent before the document was loaded, e.g. a
   * reconnecting client's first sync): refused here, which closes that document's connection.
   */
  async beforeSync({ documentName, type, payload, connection }: beforeSyncPayload) {
    if (connection.readOnly || (type !== messageYjsSyncStep2 && type !== messageYjsUpdate)) return;
    if (!this.sizes.has(documentName)) return;
    let adds: boolean;
    try {
      adds = insertsContent(payload);
    } catch {
      return; // the frame guard refuses malformed updates
    }
    if (this.admits(documentName, payload.length, adds)) return;
    this.options.log.warn({
      event: 'collab_update_refused',
      reason: 'document-too-large',
      document: documentName,
      bytes: payload.length,
    });
    throw new DocumentTooLarge();
  }
}
