import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inspectFrame } from './frame-guard';

const limits = { maxPresenceBytes: 4096 };

function syncFrame(address: string, syncType: number, body: Uint8Array) {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, body);
  return encoding.toUint8Array(encoder);
}

function textUpdate(text: string) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

describe('inspectFrame', () => {
  it('passes a real update, naming its document even with a session suffix, and whether it adds content', () => {
    const { update } = textUpdate('hello');
    expect(inspectFrame(syncFrame('item:1\0abc', 2, update), limits)).toEqual({
      ok: true,
      kind: 'update',
      address: 'item:1\0abc',
      documentName: 'item:1',
      bytes: update.length,
      addsContent: true,
    });
  });

  it('sees that an update which only deletes adds nothing', () => {
    const { doc } = textUpdate('hello');
    const before = Y.encodeStateVector(doc);
    doc.getText('t').delete(0, 5);
    const deletion = Y.encodeStateAsUpdate(doc, before);
    const verdict = inspectFrame(syncFrame('item:1', 2, deletion), limits);
    expect(verdict.ok && verdict.kind === 'update' && verdict.addsContent).toBe(false);
  });

  it('refuses random bytes, a truncated update, a cut frame and a wrong sync type', () => {
    const { update } = textUpdate('a text long enough to cut in two');
    const noise = new Uint8Array(Array.from({ length: 50 }, (_, i) => (i * 89 + 7) % 256));
    expect(inspectFrame(syncFrame('item:1', 2, noise), limits)).toMatchObject({
      ok: false,
      reason: 'malformed-update',
    });
    expect(inspectFrame(syncFrame('item:1', 1, update.slice(0, 9)), limits)).toMatchObject({
      ok: false,
      reason: 'malformed-update',
    });
    const frame = syncFrame('item:1', 2, update);
    expect(inspectFrame(frame.slice(0, frame.length - 5), limits)).toMatchObject({
      ok: false,
      reason: 'malformed-message',
    });
    expect(inspectFrame(syncFrame('item:1', 7, update), limits)).toMatchObject({
      ok: false,
      reason: 'malformed-message',
    });
    expect(inspectFrame(new Uint8Array([0xff, 0xff, 0xff]), limits)).toMatchObject({
      ok: false,
      reason: 'malformed-message',
    });
  });

  it('refuses an awareness frame far over the presence cap', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, 'session:1');
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, new Uint8Array(limits.maxPresenceBytes * 4 + 1));
    expect(inspectFrame(encoding.toUint8Array(encoder), limits)).toMatchObject({
      ok: false,
      reason: 'presence-too-large',
    });
  });
});
