import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/close-codes.js';
import { SYNC_MESSAGE_TYPES } from '../../shared/protocol.js';
import { witnessedSession } from './support/hostile-fixture.js';
import { retainedHeapBytes } from './support/memory.js';
import { openRawClient, type RawClient, syncFrame } from './support/raw-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { upgradeStatus } from './support/upgrade-attempt.js';

const started: TestServer[] = [];
const clients: RawClient[] = [];

async function serverWith(env: Record<string, string>): Promise<TestServer> {
  const server = await startServer(env);
  started.push(server);
  return server;
}

async function rawClient(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const client = await openRawClient(url, headers);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  for (const server of started.splice(0)) await server.close();
});

async function metricValue(server: TestServer, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const match = pattern.exec(text);
  return match ? Number(match[1]) : 0;
}

describe('origin check', () => {
  it('refuses other origins with 403 and admits its own and listed ones', async () => {
    const server = await serverWith({ ALLOWED_ORIGINS: 'https://pad.example.com' });
    const id = await server.createSession();
    const url = `${server.httpUrl}/ws/${id}`;
    const host = new URL(server.httpUrl).host;
    expect(await upgradeStatus(url, { Origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: `http://${host}.evil.example` })).toBe(403);
    expect(await upgradeStatus(url, { Origin: 'null' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: server.httpUrl })).toBe(101);
    expect(await upgradeStatus(url, { Origin: 'https://pad.example.com' })).toBe(101);
  });
});

describe('connections per address', () => {
  it('refuses connections past the per-address limit with 429', async () => {
    const server = await serverWith({ MAX_CONNECTIONS_PER_IP: '3' });
    const id = await server.createSession();
    for (let i = 0; i < 3; i++) await rawClient(`${server.wsBaseUrl}/${id}`);
    expect(await upgradeStatus(`${server.httpUrl}/ws/${id}`)).toBe(429);
    // Closing one frees its slot.
    const closing = clients.pop()!;
    closing.socket.close();
    await closing.closed;
    await expect.poll(() => upgradeStatus(`${server.httpUrl}/ws/${id}`)).toBe(101);
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    const server = await serverWith({ MAX_CONNECTIONS_PER_IP: '2' });
    const id = await server.createSession();
    await rawClient(`${server.wsBaseUrl}/${id}`, { 'X-Forwarded-For': '203.0.113.1' });
    await rawClient(`${server.wsBaseUrl}/${id}`, { 'X-Forwarded-For': '203.0.113.2' });
    expect(await upgradeStatus(`${server.httpUrl}/ws/${id}`, { 'X-Forwarded-For': '203.0.113.3' })).toBe(429);
  });

  it('counts per forwarded address behind a trusted proxy', async () => {
    const server = await serverWith({ MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: '127.0.0.1' });
    const id = await server.createSession();
    await rawClient(`${server.wsBaseUrl}/${id}`, { 'X-Forwarded-For': '203.0.113.1' });
    await rawClient(`${server.wsBaseUrl}/${id}`, { 'X-Forwarded-For': '203.0.113.2' });
    expect(await upgradeStatus(`${server.httpUrl}/ws/${id}`, { 'X-Forwarded-For': '203.0.113.1' })).toBe(429);
  });
});

describe('capacity', () => {
  it('closes a connection to a full session with “session full”', async () => {
    const server = await serverWith({ MAX_PEERS_PER_SESSION: '2' });
    const session = await witnessedSession(server);
    try {
      const before = session.snapshot();
      const third = await rawClient(`${server.wsBaseUrl}/${session.id}`);
      expect((await third.closed).code).toBe(CLOSE_CODES.SESSION_FULL);
      await session.assertUnharmed(before);
    } finally {
      session.dispose();
    }
  });

  it('answers 503 to creations past the session limit', async () => {
    const server = await serverWith({ MAX_SESSIONS: '2' });
    await server.createSession();
    await server.createSession();
    const response = await fetch(`${server.httpUrl}/api/sessions`, { method: 'POST' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('retry-after')).not.toBeNull();
  });
});

describe('slow consumers', () => {
  it('closes a client that stops reading instead of buffering for it', async () => {
    const server = await serverWith({ MAX_BUFFERED_BYTES: String(256 * 1024) });
    const session = await witnessedSession(server);
    try {
      session.a.doc.getText('code').insert(0, 'x'.repeat(200_000));
      const attacker = await rawClient(`${server.wsBaseUrl}/${session.id}`);
      // Stop reading, then keep asking for the whole document.
      (attacker.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      for (let i = 0; i < 150; i++) attacker.send(syncFrame(SYNC_MESSAGE_TYPES.STEP1, new Uint8Array([0])));
      await expect
        .poll(() => metricValue(server, /codecollab_server_closes_total\{code="4030"\} (\d+)/), {
          timeout: 10_000,
        })
        .toBe(1);
      await expect.poll(() => server.app.sessionRegistry.peek(session.id)?.peerCount).toBe(2);
      await session.assertUnharmed(session.snapshot());
    } finally {
      session.dispose();
    }
  });
});

describe('random session ids', () => {
  it('refuses 10,000 upgrade attempts to random ids without creating anything or keeping memory', async () => {
    const server = await serverWith({ MAX_CONNECTIONS_PER_IP: '100000' });
    const attempt = () => upgradeStatus(`${server.httpUrl}/ws/${randomBytes(16).toString('base64url')}`);
    // Warm up allocations that persist regardless (JIT, pools) before the baseline.
    for (let i = 0; i < 200; i++) await attempt();
    const baseline = retainedHeapBytes();
    const statuses = new Map<number, number>();
    const parallel = 50;
    for (let done = 0; done < 10_000; done += parallel) {
      const batch = await Promise.all(Array.from({ length: parallel }, attempt));
      for (const status of batch) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(statuses).toEqual(new Map([[404, 10_000]]));
    expect(server.app.sessionRegistry.size).toBe(0);
    const growth = retainedHeapBytes() - baseline;
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
