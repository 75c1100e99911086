import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MemoryStore } from '../src/store/memory-store.js';
import { restoreDocument } from '../src/store/restore-document.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { SessionNotStoredError, type SessionRecord, type SessionStore } from '../src/store/types.js';

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'code-collab-store-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function record(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    createdAt: 1_000,
    lastActiveAt: 1_000,
    expiresAt: 10_000,
    language: 'python',
    ownerTokenHash: 'ab'.repeat(32),
    ...overrides,
  };
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('code').insert(0, text);
  return doc;
}

/** Typing into `doc`, capturing each update the way the server receives them. */
function typeInto(doc: Y.Doc, text: string): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const onUpdate = (update: Uint8Array) => updates.push(update);
  doc.on('update', onUpdate);
  for (const char of text) doc.getText('code').insert(doc.getText('code').length, char);
  doc.off('update', onUpdate);
  return updates;
}

async function textOf(store: SessionStore, id: string): Promise<string> {
  const doc = new Y.Doc();
  restoreDocument(id, doc, await store.loadDocument(id));
  return doc.getText('code').toString();
}

const adapters: Array<[string, () => SessionStore]> = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore({ dataDir: tempDir(), synchronous: 'normal' })],
];

describe.each(adapters)('%s store', (_kind, open) => {
  it('creates a session with its initial content and reads the registry row back', async () => {
    const store = open();
    await store.createSession(record('a'), Y.encodeStateAsUpdate(docWithText('print(1)')));
    expect(await store.getSession('a')).toEqual(record('a'));
    expect(await textOf(store, 'a')).toBe('print(1)');
    expect(await store.getSession('missing')).toBeNull();
    await store.close();
  });

  it('refuses to create the same session twice, keeping the first content', async () => {
    const store = open();
    await store.createSession(record('a'), Y.encodeStateAsUpdate(docWithText('first')));
    await expect(
      store.createSession(record('a'), Y.encodeStateAsUpdate(docWithText('second'))),
    ).rejects.toThrow();
    expect(await textOf(store, 'a')).toBe('first');
    await store.close();
  });

  it('appends updates in order and compacts them into a snapshot', async () => {
    const store = open();
    const doc = docWithText('');
    await store.createSession(record('a'), Y.encodeStateAsUpdate(doc));
    const updates = typeInto(doc, 'hello');
    await store.write(updates.map((update) => ({ type: 'append', sessionId: 'a', update })));
    expect((await store.loadDocument('a')).updates).toHaveLength(5);
    expect(await textOf(store, 'a')).toBe('hello');

    await store.write([{ type: 'compact', sessionId: 'a', state: Y.encodeStateAsUpdate(doc) }]);
    const compacted = await store.loadDocument('a');
    expect(compacted.updates).toHaveLength(0);
    expect(await textOf(store, 'a')).toBe('hello');

    const more = typeInto(doc, ' world');
    await store.write(more.map((update) => ({ type: 'append', sessionId: 'a', update })));
    expect(await textOf(store, 'a')).toBe('hello world');
    await store.close();
  });

  it('keeps each session apart and drops writes for sessions that are gone', async () => {
    const store = open();
    const docA = docWithText('');
    const docB = docWithText('');
    await store.createSession(record('a'), Y.encodeStateAsUpdate(docA));
    await store.createSession(record('b'), Y.encodeStateAsUpdate(docB));
    const [updateA] = typeInto(docA, 'A');
    const [updateB] = typeInto(docB, 'B');
    expect(await store.deleteSession('b')).toBe(true);
    await store.write([
      { type: 'append', sessionId: 'a', update: updateA! },
      { type: 'append', sessionId: 'b', update: updateB! },
      { type: 'touch', sessionId: 'b', lastActiveAt: 5, expiresAt: 6 },
    ]);
    expect(await textOf(store, 'a')).toBe('A');
    expect(await store.getSession('b')).toBeNull();
    await expect(store.loadDocument('b')).rejects.toBeInstanceOf(SessionNotStoredError);
    expect(await store.deleteSession('b')).toBe(false);
    await store.close();
  });

  it('records activity and language, and lists expired sessions soonest first', async () => {
    const store = open();
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    await store.createSession(record('late', { expiresAt: 300 }), empty);
    await store.createSession(record('early', { expiresAt: 100 }), empty);
    await store.createSession(record('fresh', { expiresAt: 900 }), empty);
    await store.write([
      { type: 'touch', sessionId: 'fresh', lastActiveAt: 400, expiresAt: 1_400, language: 'typescript' },
    ]);
    expect(await store.getSession('fresh')).toMatchObject({
      lastActiveAt: 400,
      expiresAt: 1_400,
      language: 'typescript',
    });
    expect(await store.listExpired(300, 10)).toEqual(['early', 'late']);
    expect(await store.listExpired(300, 1)).toEqual(['early']);
    expect(await store.listExpired(50, 10)).toEqual([]);
    await store.close();
  });

  it('does not let callers change stored bytes through their buffers', async () => {
    const store = open();
    const doc = docWithText('');
    await store.createSession(record('a'), Y.encodeStateAsUpdate(doc));
    const [update] = typeInto(doc, 'x');
    await store.write([{ type: 'append', sessionId: 'a', update: update! }]);
    update!.fill(0);
    const loaded = await store.loadDocument('a');
    loaded.updates[0]!.fill(0);
    expect(await textOf(store, 'a')).toBe('x');
    await store.close();
  });
});
