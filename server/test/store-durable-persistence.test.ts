import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Language } from '../../shared/languages.js';
import { DurablePersistence, StoreUnavailableError } from '../src/store/durable-persistence.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { SessionStore } from '../src/store/types.js';
import { OutageStore } from './support/outage-store.js';
import { silentLogger } from './support/silent-logger.js';

const tempDirs: string[] = [];

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function persistenceOver(store: SessionStore, now: () => number = Date.now): DurablePersistence {
  return new DurablePersistence(store, {
    sessionTtlMs: 1_000_000,
    activityWriteIntervalMs: 60_000,
    compactAfterUpdates: 5,
    compactAfterBytes: 1024 * 1024,
    retryInitialMs: 10,
    retryMaxMs: 10,
    shutdownFlushMs: 1_000,
    log: silentLogger(),
    now,
  });
}

/** A document the way a session holds it, feeding every update to the persistence. */
function liveSession(persistence: DurablePersistence, id: string, language: Language = 'python') {
  const doc = new Y.Doc();
  const live = { encodeFullState: () => Y.encodeStateAsUpdate(doc), language };
  const committed: Array<Promise<void>> = [];
  doc.on('update', (update: Uint8Array) => committed.push(persistence.append(id, update, live)));
  return { doc, live, committed };
}

async function create(persistence: DurablePersistence, id: string): Promise<void> {
  await persistence.create({
    id,
    createdAt: new Date(0),
    state: Y.encodeStateAsUpdate(new Y.Doc()),
    language: 'python',
    ownerTokenHash: '',
  });
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('code').toString();
}

describe('durable persistence', () => {
  it('compacts the log into a snapshot past its bound, keeping every edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-collab-persist-'));
    tempDirs.push(dir);
    const store = new SqliteStore({ dataDir: dir, synchronous: 'normal' });
    const persistence = persistenceOver(store);
    await create(persistence, 's');
    const session = liveSession(persistence, 's');
    for (const char of 'twelve chars')
      session.doc.getText('code').insert(session.doc.getText('code').length, char);
    await Promise.all(session.committed);
    const stored = await store.loadDocument('s');
    expect(stored.updates.length).toBeLessThan(5);
    expect(textOf((await persistence.load('s'))!.state)).toBe('twelve chars');
    await persistence.close();
  });

  it('compacts on unload and loads the same text afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-collab-persist-'));
    tempDirs.push(dir);
    const store = new SqliteStore({ dataDir: dir, synchronous: 'normal' });
    const persistence = persistenceOver(store);
    await create(persistence, 's');
    const session = liveSession(persistence, 's');
    session.doc.getText('code').insert(0, 'abc');
    await persistence.unload('s', Y.encodeStateAsUpdate(session.doc));
    // The reload waits for the queued compaction instead of reading around it.
    expect(textOf((await persistence.load('s'))!.state)).toBe('abc');
    expect((await store.loadDocument('s')).updates).toHaveLength(0);
    await persistence.close();
  });

  it('refuses to load a session whose writes are still being retried, instead of serving stale data', async () => {
    const store = new OutageStore();
    const persistence = persistenceOver(store);
    await create(persistence, 's');
    const session = liveSession(persistence, 's');
    store.down = true;
    session.doc.getText('code').insert(0, 'not yet stored');
    await persistence.unload('s', Y.encodeStateAsUpdate(session.doc));
    await expect.poll(() => persistence.health().failing).toBe(true);
    await expect(persistence.load('s')).rejects.toBeInstanceOf(StoreUnavailableError);
    store.down = false;
    await expect.poll(() => persistence.health().failing).toBe(false);
    expect(textOf((await persistence.load('s'))!.state)).toBe('not yet stored');
    await persistence.close();
  });

  it('records activity and language at most once per interval while edits continue', async () => {
    let now = 1_000;
    const store = new OutageStore();
    const persistence = persistenceOver(store, () => now);
    await create(persistence, 's');
    await persistence.load('s');
    const session = liveSession(persistence, 's');
    now = 5_000;
    session.doc.getText('code').insert(0, 'a');
    await Promise.all(session.committed);
    expect((await store.getSession('s'))!.lastActiveAt).toBe(1_000);
    now = 61_001;
    session.doc.getText('code').insert(0, 'b');
    await Promise.all(session.committed);
    expect(await store.getSession('s')).toMatchObject({ lastActiveAt: 61_001, expiresAt: 1_061_001 });
    expect(await persistence.describe('s')).not.toBeNull();
    now = 1_061_001;
    // Past its expiry, a loaded session is left to the sweep; once unloaded, it is gone.
    expect(await persistence.describe('s')).not.toBeNull();
    await persistence.unload('s', Y.encodeStateAsUpdate(session.doc));
    expect(await persistence.describe('s')).toBeNull();
    expect(await persistence.load('s')).toBeNull();
    await persistence.close();
  });
});
