import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { CreateSessionResponse, Problem, SessionInfo } from '../../shared/api.js';
import { CLOSE_CODES } from '../../shared/close-codes.js';
import { hashToken } from '../src/store/owner-token.js';
import { SQLITE_FILE_NAME } from '../src/store/sqlite-store.js';
import { codeOf, connectProvider, destroyAll, waitForSync } from './support/providers.js';
import { startServer, type TestServer } from './support/test-server.js';

const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'code-collab-sessions-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(env: Record<string, string>): Promise<TestServer> {
  const server = await startServer(env);
  let closed = false;
  cleanups.push(async () => {
    if (!closed) await server.close();
  });
  return {
    ...server,
    close: async () => {
      closed = true;
      await server.close();
    },
  };
}

async function create(server: TestServer, body: object): Promise<CreateSessionResponse> {
  const response = await fetch(`${server.httpUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as CreateSessionResponse;
}

function deleteSession(server: TestServer, id: string, authorization?: string): Promise<Response> {
  return fetch(`${server.httpUrl}/api/sessions/${id}`, {
    method: 'DELETE',
    headers: authorization === undefined ? {} : { authorization },
  });
}

/** The close code a raw socket to the session ends with, or the HTTP status its upgrade was refused with. */
function connectionOutcome(server: TestServer, id: string): Promise<{ code?: number; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.wsBaseUrl}/${id}`, { origin: server.httpUrl });
    ws.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode }));
    ws.on('close', (code) => resolve({ code }));
    ws.on('error', () => {});
  });
}

describe('ownership', () => {
  it('returns an owner token once and stores only its hash', async () => {
    const dataDir = tempDataDir();
    const server = await start({ STORE: 'sqlite', DATA_DIR: dataDir });
    const { id, ownerToken } = await create(server, {});
    expect(ownerToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const info = (await (await fetch(`${server.httpUrl}/api/sessions/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(info)).not.toContain(ownerToken);
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    const row = db.prepare('SELECT owner_token_hash FROM sessions WHERE id = ?').get(id) as {
      owner_token_hash: string;
    };
    db.close();
    expect(row.owner_token_hash).toBe(hashToken(ownerToken));
  });

  it('deletes a session only with its owner token and closes its sockets with "gone"', async () => {
    const server = await start({ STORE: 'memory' });
    const { id, ownerToken } = await create(server, { content: 'keep me' });
    const other = await create(server, {});
    const provider = connectProvider(server.wsBaseUrl, id);
    cleanups.push(() => destroyAll([provider]));
    await waitForSync(provider);
    const closeCodes: number[] = [];
    provider.on('connection-close', (event: { code: number } | null) => {
      if (event) closeCodes.push(event.code);
    });

    const anonymous = await deleteSession(server, id);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await anonymous.json()) as Problem).code).toBe('OWNER_TOKEN_REQUIRED');
    const wrong = await deleteSession(server, id, `Bearer ${other.ownerToken}`);
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as Problem).code).toBe('OWNER_TOKEN_INVALID');
    expect((await deleteSession(server, id, `Basic ${ownerToken}`)).status).toBe(401);
    expect(codeOf(provider)).toBe('keep me');

    expect((await deleteSession(server, id, `Bearer ${ownerToken}`)).status).toBe(204);
    await vi.waitFor(() => expect(closeCodes).toContain(CLOSE_CODES.GONE));
    expect((await fetch(`${server.httpUrl}/api/sessions/${id}`)).status).toBe(404);
    expect((await deleteSession(server, id, `Bearer ${ownerToken}`)).status).toBe(404);
    expect(await connectionOutcome(server, id)).not.toEqual({});
    expect((await fetch(`${server.httpUrl}/api/sessions/${other.id}`)).status).toBe(200);
  });
});

describe('download', () => {
  it('serves the current code as text/plain named after the language', async () => {
    const server = await start({ STORE: 'memory' });
    const { id } = await create(server, { language: 'python', content: 'print("hi")\n' });
    const provider = connectProvider(server.wsBaseUrl, id);
    cleanups.push(() => destroyAll([provider]));
    await waitForSync(provider);
    provider.doc.getText('code').insert(0, '# typed\n');
    await vi.waitFor(async () => {
      const response = await fetch(`${server.httpUrl}/api/sessions/${id}/content`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="code.py"');
      expect(await response.text()).toBe('# typed\nprint("hi")\n');
    });
    expect((await fetch(`${server.httpUrl}/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/content`)).status).toBe(404);
  });
});

describe('expiry', () => {
  const HOUR = 60 * 60 * 1000;
  const SWEEP_MS = 60_000;

  /** A connection that completes the handshake (an empty sync step 1) and then just stays open. */
  async function openIdleSocket(server: TestServer, id: string): Promise<WebSocket> {
    const ws = new WebSocket(`${server.wsBaseUrl}/${id}`, { origin: server.httpUrl });
    cleanups.push(() => ws.terminate());
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(Uint8Array.from([0, 0, 1, 0]));
    return ws;
  }

  async function status(server: TestServer, id: string): Promise<number> {
    return (await fetch(`${server.httpUrl}/api/sessions/${id}`)).status;
  }

  /** Moves the clock past the TTL without running every timer in between, then lets one sweep run. */
  async function letTimePass(ms: number): Promise<void> {
    vi.setSystemTime(Date.now() + ms);
    await vi.advanceTimersByTimeAsync(SWEEP_MS);
  }

  it('deletes sessions unused for the TTL from memory and store, and keeps the ones in use', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    const dataDir = tempDataDir();
    const server = await start({
      STORE: 'sqlite',
      DATA_DIR: dataDir,
      SESSION_TTL_MS: String(HOUR),
      EXPIRY_SWEEP_INTERVAL_MS: String(SWEEP_MS),
      HEARTBEAT_INTERVAL_MS: String(24 * HOUR),
    });
    const idle = await create(server, { content: 'idle' });
    const used = await create(server, { content: 'used' });
    const info = (await (await fetch(`${server.httpUrl}/api/sessions/${idle.id}`)).json()) as SessionInfo;
    expect(Date.parse(info.expiresAt) - Date.now()).toBeGreaterThan(HOUR - SWEEP_MS);
    expect(Date.parse(info.expiresAt) - Date.now()).toBeLessThanOrEqual(HOUR);

    const socket = await openIdleSocket(server, used.id);
    await vi.waitFor(async () => {
      const current = (await (
        await fetch(`${server.httpUrl}/api/sessions/${used.id}`)
      ).json()) as SessionInfo;
      expect(current.connections).toBe(1);
    });

    await letTimePass(HOUR);
    await vi.waitFor(async () => expect(await status(server, idle.id)).toBe(404));
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    const ids = db.prepare('SELECT id FROM sessions').pluck().all();
    db.close();
    expect(ids).toEqual([used.id]);
    const kept = (await (await fetch(`${server.httpUrl}/api/sessions/${used.id}`)).json()) as SessionInfo;
    expect(Date.parse(kept.expiresAt)).toBeGreaterThan(Date.now());

    // Once nobody uses it any more, it expires too.
    socket.close();
    await vi.waitFor(async () => {
      const current = (await (
        await fetch(`${server.httpUrl}/api/sessions/${used.id}`)
      ).json()) as SessionInfo;
      expect(current.connections).toBe(0);
    });
    await letTimePass(HOUR);
    await vi.waitFor(async () => expect(await status(server, used.id)).toBe(404));
  });
});

describe('damaged data', () => {
  it('fails only the session whose stored snapshot is corrupt', async () => {
    const dataDir = tempDataDir();
    const first = await start({ STORE: 'sqlite', DATA_DIR: dataDir });
    const healthy = await create(first, { content: 'healthy' });
    const broken = await create(first, { content: 'broken' });
    await first.close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    db.prepare("UPDATE snapshots SET data = x'00ff00ff' WHERE session_id = ?").run(broken.id);
    db.close();

    const second = await start({ STORE: 'sqlite', DATA_DIR: dataDir });
    expect(await connectionOutcome(second, broken.id)).toEqual({ code: CLOSE_CODES.TRY_AGAIN });
    const info = await fetch(`${second.httpUrl}/api/sessions/${broken.id}`);
    expect(info.status).toBe(503);
    expect(((await info.json()) as Problem).code).toBe('SESSION_UNAVAILABLE');

    const provider = connectProvider(second.wsBaseUrl, healthy.id);
    cleanups.push(() => destroyAll([provider]));
    await waitForSync(provider);
    expect(codeOf(provider)).toBe('healthy');
  });
});
