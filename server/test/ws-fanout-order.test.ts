import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../shared/protocol.js';
import { openRawClient, type RawClient, syncFrame, updateFrame } from './support/raw-client.js';
import { startServer, type TestServer } from './support/test-server.js';

/**
 * Bursts of edits from several typists, sent back to back so the server reads many of them in one
 * iteration of its event loop and writes what they produce together: every frame must still reach every
 * other peer, each typist's edits in the order they were typed.
 */
const dataDirs: string[] = [];
const servers: TestServer[] = [];

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

async function serverWith(store: 'memory' | 'sqlite'): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'code-collab-order-'));
  dataDirs.push(dataDir);
  const server = await startServer({ STORE: store, DATA_DIR: dataDir });
  servers.push(server);
  return server;
}

/** A raw connection that has sent its sync step 1 (an empty state vector). */
async function connect(server: TestServer, sessionId: string): Promise<RawClient> {
  const client = await openRawClient(`${server.wsBaseUrl}/${sessionId}`);
  client.send(syncFrame(SYNC_MESSAGE_TYPES.STEP1, Y.encodeStateVector(new Y.Doc())));
  return client;
}

/** The update a sync frame carries (step 2 or update), or `null` for any other frame. */
function updateIn(frame: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== MESSAGE_TYPES.SYNC) return null;
  const subType = decoding.readVarUint(decoder);
  if (subType === SYNC_MESSAGE_TYPES.STEP1) return null;
  return decoding.readVarUint8Array(decoder);
}

/**
 * Applies every update `client` receives, in arrival order, until its text is `length` long. An update
 * that arrived before one it builds on would leave Yjs with pending structs: that fails at once.
 */
async function receiveInOrder(client: RawClient, length: number): Promise<string> {
  const doc = new Y.Doc();
  while (doc.getText('code').length < length) {
    const update = updateIn(await client.next());
    if (update === null) continue;
    Y.applyUpdate(doc, update);
    expect(doc.store.pendingStructs).toBeNull();
    expect(doc.store.pendingDs).toBeNull();
  }
  return doc.getText('code').toString();
}

describe.each(['memory', 'sqlite'] as const)('fan-out of bursts (%s store)', (store) => {
  it('delivers every frame of a burst to every other peer, each typist in order', async () => {
    const server = await serverWith(store);
    const sessionId = await server.createSession();
    const typists = await Promise.all([connect(server, sessionId), connect(server, sessionId)]);
    const watchers = await Promise.all([connect(server, sessionId), connect(server, sessionId)]);
    const docs = typists.map(() => new Y.Doc());
    const KEYSTROKES = 60;
    // Interleaved, without waiting: the server reads several frames of both typists per iteration.
    for (let index = 0; index < KEYSTROKES; index++) {
      docs.forEach((doc, typist) => {
        let update: Uint8Array | null = null;
        const capture = (bytes: Uint8Array) => {
          update = bytes;
        };
        doc.on('update', capture);
        doc.getText('code').insert(doc.getText('code').length, String.fromCharCode(97 + typist));
        doc.off('update', capture);
        if (update === null) throw new Error('the insert produced no update');
        typists[typist]!.send(updateFrame(update));
      });
    }
    const total = KEYSTROKES * typists.length;
    const texts = await Promise.all(watchers.map((watcher) => receiveInOrder(watcher, total)));
    expect(new Set(texts).size).toBe(1);
    for (const char of ['a', 'b']) expect(texts[0]!.split(char)).toHaveLength(KEYSTROKES + 1);
    // Each typist also sees everything the other typed, in order.
    const seen = await Promise.all(typists.map((typist) => receiveInOrder(typist, KEYSTROKES)));
    expect(seen).toEqual(['b'.repeat(KEYSTROKES), 'a'.repeat(KEYSTROKES)]);
    for (const client of [...typists, ...watchers]) client.socket.close();
  });
});
