import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { authMessage, documentOfPath, fromHocuspocus, toHocuspocus } from './y-websocket-bridge';

const addressed = (address: string, ...bytes: number[]) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  for (const byte of bytes) encoding.writeUint8(encoder, byte);
  return encoding.toUint8Array(encoder);
};

describe('y-websocket bridge', () => {
  it('puts the document’s address in front of what the client sends, and a token message first', () => {
    expect(toHocuspocus('item:1', new Uint8Array([0, 0, 1, 0]))).toEqual(addressed('item:1', 0, 0, 1, 0));
    const auth = authMessage('item:1', 'tok');
    expect(auth).toEqual(addressed('item:1', 2, 0, 3, ...Buffer.from('tok')));
  });

  it('passes sync (a sync reply as plain sync), awareness and awareness queries without the address', () => {
    expect(fromHocuspocus(addressed('item:1', 0, 1, 2, 0, 0))).toEqual({
      kind: 'send',
      message: new Uint8Array([0, 1, 2, 0, 0]),
    });
    expect(fromHocuspocus(addressed('item:1', 4, 1, 2, 0, 0))).toEqual({
      kind: 'send',
      message: new Uint8Array([0, 1, 2, 0, 0]),
    });
    expect(fromHocuspocus(addressed('item:1', 1, 1, 0))).toEqual({
      kind: 'send',
      message: new Uint8Array([1, 1, 0]),
    });
  });

  it('closes on a refused token or a closed document, and drops what the client’s protocol does not have', () => {
    expect(fromHocuspocus(addressed('item:1', 2, 1, 1, 120))).toEqual({
      kind: 'close',
      code: 4403,
      reason: 'forbidden',
    });
    expect(fromHocuspocus(addressed('item:1', 7, 3, ...Buffer.from('bye')))).toEqual({
      kind: 'close',
      code: 4000,
      reason: 'bye',
    });
    expect(fromHocuspocus(addressed('item:1', 2, 2, 0))).toEqual({ kind: 'drop' }); // authenticated
    expect(fromHocuspocus(addressed('item:1', 8, 1))).toEqual({ kind: 'drop' }); // sync status
    expect(fromHocuspocus(addressed('item:1', 5, 0))).toEqual({ kind: 'drop' }); // stateless
  });

  it('reads the document name of a path, refusing empty, encoded-null and malformed names', () => {
    expect(documentOfPath('/yjs/item%3Aabc', '/yjs')).toBe('item:abc');
    expect(documentOfPath('/yjs/item:abc', '/yjs')).toBe('item:abc');
    expect(documentOfPath('/yjs/', '/yjs')).toBeNull();
    expect(documentOfPath('/yjs/a%00b', '/yjs')).toBeNull();
    expect(documentOfPath('/yjs/%E0%A4%A', '/yjs')).toBeNull();
    expect(documentOfPath('/collab', '/yjs')).toBeNull();
  });
});
