import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES } from '../../shared/close-codes.js';
import { codeOf, connectProvider, destroyAll, waitForSync } from './support/providers.js';
import { openRawClient, updateFrame } from './support/raw-client.js';
import { startServer, type TestServer } from './support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

describe('a malformed frame', () => {
  it.each([
    ['an unknown message type', new Uint8Array([9, 0]), CLOSE_CODES.PROTOCOL_ERROR],
    ['a truncated length prefix', new Uint8Array([0, 2, 50, 1, 2]), CLOSE_CODES.PROTOCOL_ERROR],
    [
      'garbage inside an update',
      updateFrame(new Uint8Array([1, 1, 200, 200, 200, 200, 9])),
      CLOSE_CODES.INVALID_UPDATE,
    ],
  ])('(%s) closes only its sender while the others keep editing', async (_label, frame, code) => {
    const id = await server.createSession({ content: 'start\n' });
    const [a, b] = [connectProvider(server.wsBaseUrl, id), connectProvider(server.wsBaseUrl, id)];
    try {
      await waitForSync(a, b);
      const before = Y.encodeStateAsUpdate(server.app.sessionRegistry.peek(id)!.doc);
      const attacker = await openRawClient(`${server.wsBaseUrl}/${id}`);
      attacker.send(frame);
      expect((await attacker.closed).code).toBe(code);
      expect(Y.encodeStateAsUpdate(server.app.sessionRegistry.peek(id)!.doc)).toEqual(before);
      a.doc.getText('code').insert(0, 'still ');
      await vi.waitFor(() => expect(codeOf(b)).toBe('still start\n'));
    } finally {
      destroyAll([a, b]);
    }
  });
});
