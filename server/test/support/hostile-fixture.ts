import { expect, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { codeOf, connectProvider, destroyAll, waitForSync } from './providers.js';
import type { TestServer } from './test-server.js';

/**
 * A session with two well-behaved clients (`a` and `b`) watching while an attacker misbehaves: after each
 * attack the test checks that the server is up, the document is byte-for-byte what it was, and `a`'s
 * edits still reach `b`.
 */
export interface Witnessed {
  readonly id: string;
  readonly a: WebsocketProvider;
  readonly b: WebsocketProvider;
  /** The server's encoded document. */
  snapshot(): Uint8Array;
  /** Server still answers, the document is unchanged, and an edit travels from `a` to `b`. */
  assertUnharmed(before: Uint8Array): Promise<void>;
  dispose(): void;
}

export async function witnessedSession(server: TestServer): Promise<Witnessed> {
  const id = await server.createSession({ content: 'shared text\n' });
  const a = connectProvider(server.wsBaseUrl, id);
  const b = connectProvider(server.wsBaseUrl, id);
  await waitForSync(a, b);
  const snapshot = (): Uint8Array => {
    const session = server.app.sessionRegistry.peek(id);
    if (!session) throw new Error('session was unloaded');
    return Y.encodeStateAsUpdate(session.doc);
  };
  let round = 0;
  return {
    id,
    a,
    b,
    snapshot,
    async assertUnharmed(before) {
      expect(snapshot()).toEqual(before);
      expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
      const marker = `round ${round++};`;
      a.doc.getText('code').insert(0, marker);
      await vi.waitFor(() => expect(codeOf(b).startsWith(marker)).toBe(true));
    },
    dispose: () => destroyAll([a, b]),
  };
}
