import { vi } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** A stock y-websocket provider in Node: `ws` as the socket, no BroadcastChannel shortcut between tests. */
export function connectProvider(wsBaseUrl: string, sessionId: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(wsBaseUrl, sessionId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

export async function waitForSync(...providers: WebsocketProvider[]): Promise<void> {
  await vi.waitFor(
    () => {
      for (const provider of providers) if (!provider.synced) throw new Error('provider not synced yet');
    },
    { timeout: 10_000, interval: 10 },
  );
}

export function codeOf(provider: WebsocketProvider): string {
  return provider.doc.getText('code').toString();
}

export function destroyAll(providers: Iterable<WebsocketProvider>): void {
  for (const provider of providers) {
    provider.destroy();
    provider.doc.destroy();
  }
}
