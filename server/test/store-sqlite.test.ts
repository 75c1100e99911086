import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { restoreDocument } from '../src/store/restore-document.js';
import { SQLITE_FILE_NAME, SqliteStore } from '../src/store/sqlite-store.js';
import { CorruptSessionDataError, type SessionRecord } from '../src/store/types.js';

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'code-collab-sqlite-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function record(id: string): SessionRecord {
  return {
    id,
    createdAt: 1,
    lastActiveAt: 1,
    expiresAt: 100,
    language: 'javascript',
    ownerTokenHash: 'cd'.repeat(32),
  };
}

/** Creates session `id` holding `text` as a snapshot followed by one log entry per character of `typed`. */
async function seed(store: SqliteStore, id: string, text: string, typed: string): Promise<void> {
  const doc = new Y.Doc();
  doc.getText('code').insert(0, text);
  await store.createSession(record(id), Y.encodeStateAsUpdate(doc));
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const char of typed) doc.getText('code').insert(doc.getText('code').length, char);
  await store.write(updates.map((update) => ({ type: 'append', sessionId: id, update })));
}

/** Someone typing at the end of session `id`'s text: each character is its own batch (one commit). */
async function typist(store: SqliteStore, id: string): Promise<(char: string) => Promise<void>> {
  const doc = new Y.Doc();
  restoreDocument(id, doc, await store.loadDocument(id));
  const text = doc.getText('code');
  let update: Uint8Array | null = null;
  doc.on('update', (bytes: Uint8Array) => {
    update = bytes;
  });
  return async (char) => {
    update = null;
    text.insert(text.length, char);
    if (update === null) throw new Error('the insert produced no update');
    await store.write([{ type: 'append', sessionId: id, update }]);
  };
}

async function load(store: SqliteStore, id: string): Promise<string> {
  const doc = new Y.Doc();
  restoreDocument(id, doc, await store.loadDocument(id));
  return doc.getText('code').toString();
}

/** Opens the database file directly, the way damage from outside the server would reach it. */
function tamper(dataDir: string, change: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME));
  change(db);
  db.close();
}

describe('SQLite store', () => {
  it('keeps everything in one WAL-mode file in the data directory, across reopening', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = new SqliteStore({ dataDir, synchronous: 'normal' });
    await seed(first, 'a', 'const x = ', '42;');
    await first.close();

    const second = new SqliteStore({ dataDir, synchronous: 'normal' });
    expect(await load(second, 'a')).toBe('const x = 42;');
    expect(await second.getSession('a')).toEqual(record('a'));
    await second.close();

    tamper(dataDir, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(1);
    });
  });

  it('finds the data a killed process committed without a clean close', async () => {
    const dataDir = tempDir();
    // Never closed: the WAL is not checkpointed, as after kill -9.
    const crashed = new SqliteStore({ dataDir, synchronous: 'normal' });
    await seed(crashed, 'a', '', 'typed before the crash');
    const survivor = new SqliteStore({ dataDir, synchronous: 'full' });
    expect(await load(survivor, 'a')).toBe('typed before the crash');
    await survivor.close();
    await crashed.close();
  });

  it.each([
    [
      'a snapshot whose bytes changed',
      'the snapshot fails its checksum',
      "UPDATE snapshots SET data = x'00ff00ff'",
    ],
    ['a log entry whose bytes changed', 'fails its checksum', "UPDATE updates SET data = x'00ff00ff'"],
  ])('reports %s for that session only', async (_label, message, sql) => {
    const dataDir = tempDir();
    const store = new SqliteStore({ dataDir, synchronous: 'normal' });
    await seed(store, 'broken', 'abc', 'def');
    await seed(store, 'healthy', 'ghi', 'jkl');
    tamper(dataDir, (db) => db.prepare(`${sql} WHERE session_id = ?`).run('broken'));

    const failure = await store.loadDocument('broken').then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CorruptSessionDataError);
    expect((failure as CorruptSessionDataError).sessionId).toBe('broken');
    expect((failure as Error).message).toContain(message);
    expect(await load(store, 'healthy')).toBe('ghijkl');
    await store.close();
  });

  it('reports an entry that passes its checksum but is not a Yjs update', async () => {
    const dataDir = tempDir();
    const store = new SqliteStore({ dataDir, synchronous: 'normal' });
    await seed(store, 'broken', 'abc', 'de');
    await seed(store, 'healthy', 'xyz', '');
    const garbage = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    tamper(dataDir, (db) =>
      db
        .prepare(
          'UPDATE updates SET data = ?, crc = ? WHERE seq = (SELECT max(seq) FROM updates WHERE session_id = ?)',
        )
        .run(garbage, crc32(garbage), 'broken'),
    );
    await expect(load(store, 'broken')).rejects.toThrow(
      /session broken is corrupt: log entry 2 of 2 cannot be decoded/,
    );
    expect(await load(store, 'healthy')).toBe('xyz');
    await store.close();
  });

  it('reports an unknown language in the registry as corrupt data of that session', async () => {
    const dataDir = tempDir();
    const store = new SqliteStore({ dataDir, synchronous: 'normal' });
    await seed(store, 'odd', '', '');
    tamper(dataDir, (db) => db.prepare("UPDATE sessions SET language = 'cobol' WHERE id = ?").run('odd'));
    await expect(store.getSession('odd')).rejects.toBeInstanceOf(CorruptSessionDataError);
    await store.close();
  });

  it('refuses a database written by a newer schema instead of guessing', async () => {
    const dataDir = tempDir();
    await new SqliteStore({ dataDir, synchronous: 'normal' }).close();
    tamper(dataDir, (db) => db.pragma('user_version = 99'));
    expect(() => new SqliteStore({ dataDir, synchronous: 'normal' })).toThrow(/schema version 99/);
  });

  it('copies committed writes into the database file from the background, keeping its own commits short', async () => {
    const dataDir = tempDir();
    const store = new SqliteStore({ dataDir, synchronous: 'normal', checkpointIntervalMs: 20 });
    await seed(store, 'typed', 'abc', 'defghijklmnop');
    await expect
      .poll(() => store.lastCheckpoint, { timeout: 10_000 })
      .toSatisfy(
        (result) => result !== null && result.logFrames > 0 && result.checkpointedFrames === result.logFrames,
      );
    await store.close();
    const reopened = new SqliteStore({ dataDir, synchronous: 'normal' });
    expect(await load(reopened, 'typed')).toBe('abcdefghijklmnop');
    await reopened.close();
  });

  it('rewinds a long log once the writes pause, without holding any commit in the lock', async () => {
    const dataDir = tempDir();
    // With no busy timeout, a commit that met the rewind's write lock would fail instead of waiting.
    const store = new SqliteStore({
      dataDir,
      synchronous: 'normal',
      checkpointIntervalMs: 10,
      restartAfterFrames: 4,
      busyTimeoutMs: 0,
    });
    await seed(store, 'typed', 'abc', '');
    const type = await typist(store, 'typed');
    for (const char of 'defghijklmnop') await type(char);
    await expect.poll(() => store.logRestarts, { timeout: 10_000 }).toBeGreaterThan(0);
    // The rewound log starts again from its first frame.
    await type('q');
    await expect
      .poll(() => store.lastCheckpoint?.logFrames, { timeout: 10_000 })
      .toSatisfy((frames) => frames !== undefined && frames < 4);
    expect(await load(store, 'typed')).toBe('abcdefghijklmnopq');
    await store.close();
  });

  it('bounds the log under writes that never pause, holding commits back while it is rewound', async () => {
    const dataDir = tempDir();
    const store = new SqliteStore({
      dataDir,
      synchronous: 'normal',
      checkpointIntervalMs: 5,
      restartAfterFrames: 4,
      forceRestartAfterFrames: 16,
      busyTimeoutMs: 0,
    });
    await seed(store, 'typed', '', '');
    const type = await typist(store, 'typed');
    let typed = '';
    // One commit per turn of the event loop, as under steady typing; every one must succeed.
    while (store.logRestarts < 3 && typed.length < 20_000) {
      const char = String.fromCharCode(97 + (typed.length % 26));
      await type(char);
      typed += char;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(store.logRestarts).toBeGreaterThanOrEqual(3);
    expect(await load(store, 'typed')).toBe(typed);
    await store.close();
    const reopened = new SqliteStore({ dataDir, synchronous: 'normal' });
    expect(await load(reopened, 'typed')).toBe(typed);
    await reopened.close();
  });

  it('answers ping while open and rejects after close', async () => {
    const store = new SqliteStore({ dataDir: tempDir(), synchronous: 'normal' });
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/not open/);
  });
});
