import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import { isLanguage } from '../../../shared/languages.js';
import {
  CorruptSessionDataError,
  SessionNotStoredError,
  type SessionRecord,
  type SessionStore,
  type StoredDocument,
  type WriteOp,
} from './types.js';
import { type CheckpointResult, WAL_CHECKPOINT_INTERVAL_MS, WalCheckpointer } from './wal-checkpointer.js';

/** The database file inside the data directory. */
export const SQLITE_FILE_NAME = 'code-collab.sqlite';

/**
 * `normal`: a commit reaches the WAL file (the OS page cache) before `write` resolves, so a killed process
 * loses nothing; a power loss may roll back the last commits, never corrupting the file. `full`: every commit
 * is also fsynced, so it survives a power loss, at the price of an fsync per batch on the event loop.
 */
export const SQLITE_SYNCHRONOUS_MODES = ['normal', 'full'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_MODES)[number];

export interface SqliteStoreOptions {
  dataDir: string;
  synchronous: SqliteSynchronous;
  /** How often a background connection checkpoints the write-ahead log (tests shorten it). */
  checkpointIntervalMs?: number;
  /** Log lengths (pages) past which it is rewound in a pause of the writes, or regardless (tests shorten them). */
  restartAfterFrames?: number;
  forceRestartAfterFrames?: number;
  /** How long a commit waits for a lock held by another connection (tests set 0 to prove none is). */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** SQLite's own default: checkpoint on commit once the log holds this many pages. */
const AUTO_CHECKPOINT_PAGES = 1000;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  last_active_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  language TEXT NOT NULL,
  owner_token_hash TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS snapshots (
  session_id TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  crc INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS updates (
  seq INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  data BLOB NOT NULL,
  crc INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS updates_by_session ON updates (session_id, seq);
`;

interface SessionRow {
  id: string;
  created_at: number;
  last_active_at: number;
  expires_at: number;
  language: string;
  owner_token_hash: string;
}

interface BlobRow {
  seq?: number;
  data: Buffer;
  crc: number;
}

/** Binds without copying: better-sqlite3 takes Buffers. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * One SQLite file in WAL mode. better-sqlite3 is synchronous, so each call runs to completion before its
 * promise is returned: a batch is on disk (per the synchronous mode) in the same turn `write` was called in
 * — unless the background connection is rewinding the log, which writes wait out first.
 * Every blob carries a CRC-32 so a damaged entry is reported for its session instead of decoding garbage.
 */
export class SqliteStore implements SessionStore {
  readonly kind = 'sqlite';
  readonly path: string;
  readonly #db: Database.Database;
  readonly #statements;
  readonly #writeBatch: (ops: readonly WriteOp[]) => void;
  readonly #checkpointer: WalCheckpointer;
  #lastCommitAt = 0;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, SQLITE_FILE_NAME);
    this.#db = new Database(this.path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    this.#migrate();
    this.#statements = this.#prepare();
    this.#writeBatch = this.#db.transaction((ops: readonly WriteOp[]) => {
      for (const op of ops) this.#applyOp(op);
    });
    // Checkpoints fsync the database file; on this connection they would stall the event loop every few
    // hundred commits. A worker's connection does them instead, and if it fails, this one takes over.
    this.#db.pragma('wal_autocheckpoint = 0');
    this.#checkpointer = new WalCheckpointer({
      path: this.path,
      intervalMs: options.checkpointIntervalMs ?? WAL_CHECKPOINT_INTERVAL_MS,
      lastCommitAt: () => this.#lastCommitAt,
      ...(options.restartAfterFrames === undefined ? {} : { restartAfterFrames: options.restartAfterFrames }),
      ...(options.forceRestartAfterFrames === undefined
        ? {}
        : { forceRestartAfterFrames: options.forceRestartAfterFrames }),
      onFailure: () => {
        if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
      },
    });
  }

  /** The background checkpoint's latest figures (`null` before the first), for tests and diagnostics. */
  get lastCheckpoint(): CheckpointResult | null {
    return this.#checkpointer.lastCheckpoint;
  }

  /** How many times the background connection rewound the log. */
  get logRestarts(): number {
    return this.#checkpointer.restarts;
  }

  /**
   * A rewind of the log in progress, which writes wait out: it holds the write lock, and a commit contending
   * for it would sleep in SQLite's busy handler with the event loop blocked.
   */
  get #rewinding(): Promise<void> | null {
    return this.#checkpointer.rewinding;
  }

  #committed(): void {
    this.#lastCommitAt = performance.now();
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${this.path} has schema version ${version}; this server understands ${SCHEMA_VERSION}`,
      );
    }
    this.#db.exec(SCHEMA);
    this.#db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  #prepare() {
    const db = this.#db;
    return {
      insertSession: db.prepare(
        `INSERT INTO sessions (id, created_at, last_active_at, expires_at, language, owner_token_hash)
         VALUES (@id, @createdAt, @lastActiveAt, @expiresAt, @language, @ownerTokenHash)`,
      ),
      insertSnapshot: db.prepare('INSERT INTO snapshots (session_id, data, crc) VALUES (?, ?, ?)'),
      getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
      getSnapshot: db.prepare<[string], BlobRow>('SELECT data, crc FROM snapshots WHERE session_id = ?'),
      getUpdates: db.prepare<[string], BlobRow>(
        'SELECT seq, data, crc FROM updates WHERE session_id = ? ORDER BY seq',
      ),
      // The EXISTS guard drops writes for a session deleted meanwhile without failing the whole batch.
      append: db.prepare(
        `INSERT INTO updates (session_id, data, crc)
         SELECT @sessionId, @data, @crc WHERE EXISTS (SELECT 1 FROM sessions WHERE id = @sessionId)`,
      ),
      replaceSnapshot: db.prepare('UPDATE snapshots SET data = ?, crc = ? WHERE session_id = ?'),
      clearLog: db.prepare('DELETE FROM updates WHERE session_id = ?'),
      touch: db.prepare(
        `UPDATE sessions SET last_active_at = ?, expires_at = ?, language = coalesce(?, language)
         WHERE id = ?`,
      ),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
      deleteSnapshot: db.prepare('DELETE FROM snapshots WHERE session_id = ?'),
      listExpired: db
        .prepare<[number, number], string>(
          'SELECT id FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?',
        )
        .pluck(),
      ping: db.prepare('SELECT 1').pluck(),
    };
  }

  #applyOp(op: WriteOp): void {
    const s = this.#statements;
    switch (op.type) {
      case 'append':
        s.append.run({ sessionId: op.sessionId, data: asBuffer(op.update), crc: crc32(op.update) });
        break;
      case 'compact':
        s.replaceSnapshot.run(asBuffer(op.state), crc32(op.state), op.sessionId);
        s.clearLog.run(op.sessionId);
        break;
      case 'touch':
        s.touch.run(op.lastActiveAt, op.expiresAt, op.language ?? null, op.sessionId);
        break;
    }
  }

  async createSession(record: SessionRecord, initialState: Uint8Array): Promise<void> {
    if (this.#rewinding !== null) await this.#rewinding;
    this.#db.transaction(() => {
      this.#statements.insertSession.run(record);
      this.#statements.insertSnapshot.run(record.id, asBuffer(initialState), crc32(initialState));
    })();
    this.#committed();
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.#statements.getSession.get(id);
    if (!row) return null;
    if (!isLanguage(row.language)) {
      throw new CorruptSessionDataError(id, `unknown language ${JSON.stringify(row.language)}`);
    }
    return {
      id: row.id,
      createdAt: row.created_at,
      lastActiveAt: row.last_active_at,
      expiresAt: row.expires_at,
      language: row.language,
      ownerTokenHash: row.owner_token_hash,
    };
  }

  async loadDocument(id: string): Promise<StoredDocument> {
    // One read transaction, so a concurrent compaction cannot be seen half done.
    return this.#db.transaction(() => {
      if (!this.#statements.getSession.get(id)) throw new SessionNotStoredError(id);
      const snapshotRow = this.#statements.getSnapshot.get(id);
      if (snapshotRow && crc32(snapshotRow.data) !== snapshotRow.crc) {
        throw new CorruptSessionDataError(id, 'the snapshot fails its checksum');
      }
      const updates = this.#statements.getUpdates.all(id).map((row) => {
        if (crc32(row.data) !== row.crc) {
          throw new CorruptSessionDataError(id, `log entry ${row.seq} fails its checksum`);
        }
        return row.data;
      });
      return { snapshot: snapshotRow?.data ?? null, updates };
    })();
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    if (this.#rewinding !== null) await this.#rewinding;
    this.#writeBatch(ops);
    this.#committed();
  }

  async deleteSession(id: string): Promise<boolean> {
    if (this.#rewinding !== null) await this.#rewinding;
    const deleted = this.#db.transaction(() => {
      const deleted = this.#statements.deleteSession.run(id).changes > 0;
      this.#statements.deleteSnapshot.run(id);
      this.#statements.clearLog.run(id);
      return deleted;
    })();
    this.#committed();
    return deleted;
  }

  async listExpired(now: number, limit: number): Promise<string[]> {
    return this.#statements.listExpired.all(now, limit);
  }

  async ping(): Promise<void> {
    this.#statements.ping.get();
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    await this.#checkpointer.stop();
    if (!this.#db.open) return;
    // A clean close checkpoints the WAL into the main file.
    this.#db.close();
  }
}
