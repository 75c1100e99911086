import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as prng from 'lib0/prng';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { CreateSessionResponse } from '../../shared/api.js';
import { SQLITE_FILE_NAME, SqliteStore } from '../src/store/sqlite-store.js';
import { codeOf, connectProvider, destroyAll, waitForSync } from './support/providers.js';
import { type ServerProcess, spawnServer } from './support/server-process.js';

const SEED_TEXT = '# seeded once at creation\n';
const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'code-collab-durable-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer({ STORE: 'sqlite', DATA_DIR: dataDir, ...env });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

async function createSession(server: ServerProcess): Promise<string> {
  const response = await fetch(`${server.httpUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'python', content: SEED_TEXT }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as CreateSessionResponse).id;
}

/** A client that records every update the server passed on to it. */
interface Client {
  provider: WebsocketProvider;
  received: Uint8Array[];
  typed: string[];
}

function connectClient(wsBaseUrl: string, id: string): Client {
  const provider = connectProvider(wsBaseUrl, id);
  const client: Client = { provider, received: [], typed: [] };
  provider.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) client.received.push(update);
  });
  cleanups.push(() => destroyAll([provider]));
  return client;
}

/** Seeded random numbers (lib0's xoroshiro128+), so a failure can be replayed from its seed. */
function randomFrom(seed: number): () => number {
  const generator = prng.create(seed);
  return () => prng.real53(generator);
}

/**
 * Inserts a unique line at a random line start, so no later insertion ever splits an earlier one and every
 * typed line can be counted in the result.
 */
function typeLine(client: Client, clientIndex: number, random: () => number): void {
  const text = client.provider.doc.getText('code');
  const content = text.toString();
  const lineStarts = [0];
  for (let i = 0; i < content.length; i++) if (content[i] === '\n') lineStarts.push(i + 1);
  const line = `c${clientIndex}-${client.typed.length}\n`;
  client.typed.push(line);
  text.insert(lineStarts[Math.floor(random() * lineStarts.length)]!, line);
}

/** Every client types one line. */
function typeRound(clients: Client[], random: () => number): void {
  for (const [index, client] of clients.entries()) typeLine(client, index, random);
}

/** Keeps every client typing, one line each per event-loop turn, until `stop` is called. */
function keepTyping(clients: Client[], random: () => number): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      typeRound(clients, random);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The payload of a sync-update frame (`[0, 2, varUint8Array]`), or `null` for any other frame. */
function relayedUpdate(frame: Uint8Array): Uint8Array | null {
  if (frame[0] !== 0 || frame[1] !== 2) return null;
  let length = 0;
  let shift = 0;
  let offset = 2;
  for (;;) {
    const byte = frame[offset++]!;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  return frame.subarray(offset, offset + length);
}

describe('a server process with the SQLite store', () => {
  it('has every update a client receives in the database file before it arrives', async () => {
    const dataDir = tempDataDir();
    // No compaction during the test, so every relayed update stays findable in the log.
    const server = await start(dataDir, {
      COMPACT_AFTER_UPDATES: '1000000000',
      COMPACT_AFTER_BYTES: '1000000000',
    });
    const id = await createSession(server);
    const clients = [0, 1].map(() => connectClient(server.wsBaseUrl, id));
    await waitForSync(...clients.map((client) => client.provider));
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    cleanups.push(() => {
      db.close();
    });
    const stored = db.prepare<[Buffer], number>('SELECT 1 FROM updates WHERE data = ? LIMIT 1').pluck();
    let checked = 0;
    const missing: number[] = [];
    for (const client of clients) {
      // Checked the moment the frame arrives, before the client even decodes it.
      (client.provider.ws as unknown as WebSocket).on('message', (data: Buffer) => {
        const update = relayedUpdate(new Uint8Array(data));
        if (update === null) return;
        checked += 1;
        if (stored.get(Buffer.from(update)) === undefined) missing.push(checked);
      });
    }
    const random = randomFrom(11);
    for (let round = 0; round < 100; round++) {
      typeRound(clients, random);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await vi.waitFor(() => expect(checked).toBe(200), { timeout: 15_000, interval: 10 });
    expect(missing, 'updates that arrived before they were stored').toEqual([]);
  }, 60_000);

  it('loses no edit any client received when killed mid-typing, and doubles nothing on restart', async () => {
    const seed = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
    const random = randomFrom(seed);
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const id = await createSession(first);
    const clients = [0, 1, 2].map(() => connectClient(first.wsBaseUrl, id));
    await waitForSync(...clients.map((client) => client.provider));

    const typing = keepTyping(clients, random);
    await expect
      .poll(() => clients.every((client) => client.received.length >= 30), { timeout: 15_000, interval: 5 })
      .toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;
    // Everything the dead server had passed on; nothing more can arrive now.
    const received = clients.flatMap((client) => client.received);
    // The still-open clients keep typing offline for a moment.
    await expect
      .poll(() => clients[0]!.typed.length, { interval: 1 })
      .toBeGreaterThan(clients[0]!.typed.length + 5);
    await typing.stop();

    const second = await start(dataDir);
    const fresh = connectClient(second.wsBaseUrl, id);
    await waitForSync(fresh.provider);
    // The others still point at the dead address, so this state came from the store alone.
    const check = new Y.Doc();
    Y.applyUpdate(check, Y.encodeStateAsUpdate(fresh.provider.doc));
    for (const update of received) Y.applyUpdate(check, update);
    expect(check.getText('code').toString(), `seed ${seed}: an update a client had received is missing`).toBe(
      codeOf(fresh.provider),
    );
    expect(Y.encodeStateVector(check)).toEqual(Y.encodeStateVector(fresh.provider.doc));
    expect(count(codeOf(fresh.provider), SEED_TEXT)).toBe(1);

    // The still-open clients reconnect (to the new address) and everyone converges.
    for (const client of clients) client.provider.serverUrl = second.wsBaseUrl;
    const everyone = [...clients, fresh];
    await vi.waitFor(
      () => {
        const texts = new Set(everyone.map((client) => codeOf(client.provider)));
        if (texts.size !== 1) throw new Error(`seed ${seed}: ${texts.size} different texts`);
      },
      { timeout: 15_000, interval: 20 },
    );
    const final = codeOf(fresh.provider);
    expect(count(final, SEED_TEXT), `seed ${seed}`).toBe(1);
    for (const line of clients.flatMap((client) => client.typed)) {
      expect(count(final, line), `seed ${seed}: ${JSON.stringify(line)}`).toBe(1);
    }
    expect(final.length).toBe(SEED_TEXT.length + clients.flatMap((client) => client.typed).join('').length);
  }, 60_000);

  it('flushes and compacts everything on SIGTERM, exits cleanly, and restarts with it all', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const id = await createSession(first);
    const clients = [0, 1].map(() => connectClient(first.wsBaseUrl, id));
    await waitForSync(...clients.map((client) => client.provider));
    const random = randomFrom(7);
    for (let round = 0; round < 50; round++) typeRound(clients, random);
    const expected = clients.flatMap((client) => client.typed);
    // Both clients have everything, so the server has applied it all; SIGTERM must leave it all stored.
    await vi.waitFor(
      () => {
        for (const client of clients)
          expect(codeOf(client.provider).length).toBe(SEED_TEXT.length + expected.join('').length);
      },
      { timeout: 10_000, interval: 10 },
    );
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    destroyAll(clients.map((client) => client.provider));

    const store = new SqliteStore({ dataDir, synchronous: 'normal' });
    const stored = await store.loadDocument(id);
    await store.close();
    expect(stored.updates, 'the log is compacted into the snapshot on unload').toHaveLength(0);

    const second = await start(dataDir);
    const fresh = connectClient(second.wsBaseUrl, id);
    await waitForSync(fresh.provider);
    const text = codeOf(fresh.provider);
    expect(count(text, SEED_TEXT)).toBe(1);
    for (const line of expected) expect(count(text, line), JSON.stringify(line)).toBe(1);
  }, 60_000);
});
