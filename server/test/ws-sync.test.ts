import type { IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { collectGarbage } from './support/memory.js';
import { codeOf, connectProvider, destroyAll, waitForSync } from './support/providers.js';
import { awarenessFrame, openRawClient } from './support/raw-client.js';
import { startServer, type TestServer } from './support/test-server.js';

let server: TestServer;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  server = await startServer();
});

afterEach(() => {
  destroyAll(providers.splice(0));
});

afterAll(async () => {
  await server.close();
});

function join(sessionId: string): WebsocketProvider {
  const provider = connectProvider(server.wsBaseUrl, sessionId);
  providers.push(provider);
  return provider;
}

describe('sync through stock y-websocket providers', () => {
  it('gives a joining client the initial content written at creation', async () => {
    const id = await server.createSession({ language: 'typescript', content: 'const a = 1;\n' });
    const client = join(id);
    await waitForSync(client);
    expect(codeOf(client)).toBe('const a = 1;\n');
    expect(client.doc.getMap('meta').get('language')).toBe('typescript');
  });

  it('converges two clients typing at once', async () => {
    const id = await server.createSession();
    const [a, b] = [join(id), join(id)];
    await waitForSync(a, b);
    a.doc.getText('code').insert(0, 'from a;');
    b.doc.getText('code').insert(0, 'from b;');
    await vi.waitFor(() => {
      expect(codeOf(a)).toBe(codeOf(b));
      expect(codeOf(a)).toHaveLength(14);
    });
  });

  it('converges five clients', async () => {
    const id = await server.createSession({ content: '// start\n' });
    const clients = Array.from({ length: 5 }, () => join(id));
    await waitForSync(...clients);
    clients.forEach((client, index) => {
      client.doc.getText('code').insert(client.doc.getText('code').length, `line ${index}\n`);
    });
    await vi.waitFor(() => {
      const texts = new Set(clients.map(codeOf));
      expect(texts.size).toBe(1);
      for (let index = 0; index < 5; index++) expect(codeOf(clients[0]!)).toContain(`line ${index}\n`);
    });
    const info = (await (await fetch(`${server.httpUrl}/api/sessions/${id}`)).json()) as {
      connections: number;
    };
    expect(info.connections).toBe(5);
  });

  it('gives every fresh joiner the current document, after edits and after everyone had left', async () => {
    const id = await server.createSession({ content: 'a\n' });
    const [writer, reader] = [join(id), join(id)];
    await waitForSync(writer, reader);
    writer.doc.getText('code').insert(2, 'b\n');
    await vi.waitFor(() => expect(codeOf(reader)).toBe('a\nb\n'));
    const late = join(id);
    await waitForSync(late);
    expect(codeOf(late)).toBe('a\nb\n');
    destroyAll(providers.splice(0));
    await expect.poll(() => server.app.sessionRegistry.peek(id)?.peerCount).toBe(0);
    const returning = join(id);
    await waitForSync(returning);
    expect(codeOf(returning)).toBe('a\nb\n');
    returning.doc.getText('code').insert(0, 'c\n');
    const last = join(id);
    await waitForSync(last);
    await vi.waitFor(() => expect(codeOf(last)).toBe('c\na\nb\n'));
  });

  it('removes a closed client’s awareness for everyone else', async () => {
    const id = await server.createSession();
    const [a, b, c] = [join(id), join(id), join(id)];
    await waitForSync(a, b, c);
    a.awareness.setLocalStateField('user', { name: 'Ada', color: '#112233' });
    await vi.waitFor(() => {
      expect(b.awareness.getStates().get(a.doc.clientID)).toMatchObject({ user: { name: 'Ada' } });
      expect(c.awareness.getStates().get(a.doc.clientID)).toMatchObject({ user: { name: 'Ada' } });
    });
    // A hard drop: no goodbye message from the client, the server must announce the removal itself.
    (a.ws as unknown as WebSocket).terminate();
    a.shouldConnect = false;
    await vi.waitFor(() => {
      expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false);
      expect(c.awareness.getStates().has(a.doc.clientID)).toBe(false);
    });
  });

  it('shows a late joiner everyone already present', async () => {
    const id = await server.createSession();
    const a = join(id);
    await waitForSync(a);
    a.awareness.setLocalStateField('user', { name: 'Grace', color: '#abcdef' });
    const late = join(id);
    await waitForSync(late);
    await vi.waitFor(() =>
      expect(late.awareness.getStates().get(a.doc.clientID)).toMatchObject({ user: { name: 'Grace' } }),
    );
  });
});

describe('liveness', () => {
  it('drops a peer that stops answering pings and keeps the ones that answer', async () => {
    const quick = await startServer({ HEARTBEAT_INTERVAL_MS: '150' });
    const others: WebsocketProvider[] = [];
    try {
      const id = await quick.createSession();
      const alive = connectProvider(quick.wsBaseUrl, id);
      others.push(alive);
      await waitForSync(alive);
      alive.awareness.setLocalStateField('user', { name: 'Awake', color: '#00aa00' });
      const dead = await openRawClient(`${quick.wsBaseUrl}/${id}`, {}, { answerPings: false });
      dead.send(
        awarenessFrame([{ clientId: 4242, clock: 1, state: { user: { name: 'Gone', color: '#aa0000' } } }]),
      );
      await vi.waitFor(() => expect(alive.awareness.getStates().has(4242)).toBe(true));
      // Terminated without a close frame: 1006 on this side.
      expect((await dead.closed).code).toBe(1006);
      await vi.waitFor(() => expect(alive.awareness.getStates().has(4242)).toBe(false));
      expect(alive.wsconnected).toBe(true);
      expect(quick.app.sessionRegistry.peek(id)?.peerCount).toBe(1);
    } finally {
      destroyAll(others);
      await quick.close();
    }
  });
});

describe('observability', () => {
  it('reports sessions, connections and traffic in /metrics and readiness in /readyz', async () => {
    const id = await server.createSession();
    const [a, b] = [join(id), join(id)];
    await waitForSync(a, b);
    a.doc.getText('code').insert(0, 'measured');
    await vi.waitFor(() => expect(codeOf(b)).toBe('measured'));
    const response = await fetch(`${server.httpUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^codecollab_sessions_loaded (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^codecollab_connections (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^codecollab_messages_received_total\{type="sync"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^codecollab_bytes_sent_total (\d+)/m)).toBeGreaterThan(0);
    expect(text).toMatch(/^codecollab_nodejs_eventloop_lag_seconds /m);
    expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(200);
  });
});

describe('admission', () => {
  it.each([
    ['an unknown session', 'AAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed id', 'hello'],
    ['a traversal attempt', '..%2F..%2Fadmin'],
  ])('refuses %s with HTTP 404 before the upgrade and creates nothing', async (_label, id) => {
    const before = server.app.sessionRegistry.size;
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${server.wsBaseUrl}/${id}`);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('upgrade was accepted')));
      socket.on('error', () => {});
    });
    expect(status).toBe(404);
    expect(server.app.sessionRegistry.size).toBe(before);
    expect(server.app.sessionRegistry.peek(id)).toBeUndefined();
  });

  it('keeps nothing of the upgrade request alive once the connection is open', async () => {
    const id = await server.createSession();
    let request: WeakRef<IncomingMessage> | undefined;
    const capture = (upgrade: IncomingMessage): void => {
      request = new WeakRef(upgrade);
    };
    server.app.server.prependListener('upgrade', capture);
    const client = join(id);
    try {
      await waitForSync(client);
    } finally {
      server.app.server.off('upgrade', capture);
    }
    expect(request).toBeDefined();
    await expect
      .poll(() => {
        collectGarbage();
        return request?.deref();
      })
      .toBeUndefined();
    expect(client.wsconnected).toBe(true);
  });
});
