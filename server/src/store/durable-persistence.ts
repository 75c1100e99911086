import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { Language } from '../../../shared/languages.js';
import type {
  LiveDocument,
  NewSession,
  PersistedSession,
  SessionPersistence,
} from '../sessions/session-persistence.js';
import { restoreDocument } from './restore-document.js';
import type { SessionRecord, SessionStore, WriteOp } from './types.js';
import { WriteQueue } from './write-queue.js';

export interface DurablePersistenceOptions {
  readonly sessionTtlMs: number;
  readonly activityWriteIntervalMs: number;
  readonly compactAfterUpdates: number;
  readonly compactAfterBytes: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** How long `close` waits for queued writes before giving up on them. */
  readonly shutdownFlushMs: number;
  readonly log: FastifyBaseLogger;
  readonly now?: () => number;
}

export interface PersistenceHealth {
  /** The last write failed and is being retried. */
  readonly failing: boolean;
  readonly pendingWrites: number;
  readonly lastError: string | null;
  /** Totals since start, for metrics. */
  readonly committedBatches: number;
  readonly committedOps: number;
  readonly failedAttempts: number;
}

/** The store cannot serve this session right now; the caller closes with "try again". */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  override readonly name = 'StoreUnavailableError';
}

/** What is known about a loaded session's stored log, to decide when to compact it. */
interface LogState {
  count: number;
  bytes: number;
  /** The activity time last written to the store. */
  lastTouchAt: number;
  /** The latest activity (load or edit), written at most every `activityWriteIntervalMs` and on unload. */
  lastActivityAt: number;
  language: Language;
}

/**
 * Sessions persisted through a `SessionStore`: a loaded session's accepted updates are appended to its log
 * through the write queue (one transaction per event-loop turn), and `append`'s promise tells the session
 * when it may pass the update on. The log is compacted into a snapshot past a bound and on unload.
 */
export class DurablePersistence implements SessionPersistence {
  readonly store: SessionStore;
  readonly #queue: WriteQueue;
  readonly #options: DurablePersistenceOptions;
  readonly #now: () => number;
  readonly #logs = new Map<string, LogState>();
  /** The last queued write per session, so a reload reads only after it is committed. */
  readonly #lastWrite = new Map<string, Promise<void>>();
  #committedBatches = 0;
  #committedOps = 0;
  #failedAttempts = 0;

  constructor(store: SessionStore, options: DurablePersistenceOptions) {
    this.store = store;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const log = options.log.child({ store: store.kind });
    this.#queue = new WriteQueue(store, {
      retryInitialMs: options.retryInitialMs,
      retryMaxMs: options.retryMaxMs,
      onFailure: (error, attempt, retryInMs) => {
        this.#failedAttempts += 1;
        log.error(
          { err: error, attempt, retryInMs, pendingWrites: this.#queue.pendingOps },
          'store write failed',
        );
      },
      onCommitted: (opCount) => {
        this.#committedBatches += 1;
        this.#committedOps += opCount;
      },
      onRecovered: (attempts) => log.warn({ failedAttempts: attempts }, 'store writes recovered'),
    });
  }

  health(): PersistenceHealth {
    const error = this.#queue.lastError;
    return {
      failing: this.#queue.failing,
      pendingWrites: this.#queue.pendingOps,
      lastError: error === null ? null : error instanceof Error ? error.message : String(error),
      committedBatches: this.#committedBatches,
      committedOps: this.#committedOps,
      failedAttempts: this.#failedAttempts,
    };
  }

  async create(session: NewSession): Promise<void> {
    const now = this.#now();
    const { language } = session;
    await this.store.createSession(
      {
        id: session.id,
        createdAt: session.createdAt.getTime(),
        lastActiveAt: now,
        expiresAt: now + this.#options.sessionTtlMs,
        language,
        ownerTokenHash: session.ownerTokenHash,
      },
      session.state,
    );
    this.#logs.set(session.id, { count: 0, bytes: 0, lastTouchAt: now, lastActivityAt: now, language });
  }

  /**
   * The registry row, or `null` for a session that does not exist or has expired. A session loaded here
   * is left to the sweep, which spares it while someone has it open.
   */
  async describe(id: string): Promise<SessionRecord | null> {
    const record = await this.store.getSession(id);
    if (!record) return null;
    return record.expiresAt > this.#now() || this.#logs.has(id) ? record : null;
  }

  async load(id: string): Promise<PersistedSession | null> {
    await this.#settled(id);
    const record = await this.describe(id);
    if (!record) return null;
    // A guid of our own spares Yjs drawing a random UUID (see `Session`).
    const doc = new Y.Doc({ guid: id });
    try {
      const stored = await this.store.loadDocument(id);
      restoreDocument(id, doc, stored);
      const state = Y.encodeStateAsUpdate(doc);
      const bytes = stored.updates.reduce((sum, update) => sum + update.byteLength, 0);
      const log = {
        count: stored.updates.length,
        bytes,
        lastTouchAt: 0,
        lastActivityAt: 0,
        language: record.language,
      };
      this.#logs.set(id, log);
      // Opening a session is activity: its expiry moves forward.
      this.#touch(id, record.language, this.#now());
      return { id, createdAt: new Date(record.createdAt), state };
    } catch (error) {
      // Nothing is written back: the stored data stays as it is for someone to inspect or restore.
      this.#options.log.error({ err: error, sessionId: id }, 'session could not be loaded');
      throw error;
    } finally {
      doc.destroy();
    }
  }

  /**
   * Queues an accepted update. The promise resolves once it is committed; the session passes the update
   * on to peers only then. Never throws: a failing store keeps the update queued and retries.
   */
  append(id: string, update: Uint8Array, live: LiveDocument): Promise<void> {
    const log = this.#logs.get(id);
    let committed = this.#enqueue({ type: 'append', sessionId: id, update });
    if (!log) return committed;
    log.count += 1;
    log.bytes += update.byteLength;
    const now = this.#now();
    log.lastActivityAt = now;
    if (log.count >= this.#options.compactAfterUpdates || log.bytes >= this.#options.compactAfterBytes) {
      committed = this.#compact(id, live.encodeFullState());
    }
    if (live.language !== log.language || now - log.lastTouchAt >= this.#options.activityWriteIntervalMs) {
      committed = this.#touch(id, live.language, now);
    }
    return committed;
  }

  /**
   * Compacts the log into `state` and writes the last activity if it is newer than the stored one (the
   * unload itself is not activity). The queue commits these even after the session has left memory.
   */
  async unload(id: string, state: Uint8Array): Promise<void> {
    const log = this.#logs.get(id);
    if (!log) return;
    if (log.count > 0) void this.#compact(id, state);
    if (log.lastActivityAt > log.lastTouchAt) void this.#touch(id, log.language, log.lastActivityAt);
    this.#logs.delete(id);
  }

  /**
   * Deletes a session from the store. Writes for it still queued are dropped by the store when they commit
   * (they name a session that no longer exists), so there is nothing to wait for.
   */
  async delete(id: string): Promise<boolean> {
    this.#logs.delete(id);
    return this.store.deleteSession(id);
  }

  /** Ids of expired sessions, at most `limit`. */
  listExpired(limit: number): Promise<string[]> {
    return this.store.listExpired(this.#now(), limit);
  }

  /** Pushes the expiry of a session in use forward, even without edits. */
  keepAlive(id: string): void {
    const log = this.#logs.get(id);
    if (log) void this.#touch(id, log.language, this.#now());
  }

  /** Waits for every queued write, at most `timeoutMs`; resolves `false` when some were left uncommitted. */
  async flush(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.#queue.drain().then(() => true as const), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const flushed = await this.flush(this.#options.shutdownFlushMs);
    if (!flushed) {
      this.#options.log.error(
        { pendingWrites: this.#queue.pendingOps },
        'store writes still failing at shutdown',
      );
    }
    this.#queue.stop();
    await this.store.close();
  }

  #compact(id: string, state: Uint8Array): Promise<void> {
    const log = this.#logs.get(id);
    if (log) {
      log.count = 0;
      log.bytes = 0;
    }
    return this.#enqueue({ type: 'compact', sessionId: id, state });
  }

  /** Records activity at `at`: the session expires `sessionTtlMs` after it. */
  #touch(id: string, language: Language, at: number): Promise<void> {
    const log = this.#logs.get(id);
    if (log) {
      log.lastTouchAt = at;
      log.lastActivityAt = Math.max(log.lastActivityAt, at);
      log.language = language;
    }
    return this.#enqueue({
      type: 'touch',
      sessionId: id,
      lastActiveAt: at,
      expiresAt: at + this.#options.sessionTtlMs,
      language,
    });
  }

  #enqueue(op: WriteOp): Promise<void> {
    const committed = this.#queue.enqueue(op);
    // A turn's ops share one batch promise: one continuation per session and batch, not one per op.
    if (this.#lastWrite.get(op.sessionId) === committed) return committed;
    this.#lastWrite.set(op.sessionId, committed);
    void committed.then(() => {
      if (this.#lastWrite.get(op.sessionId) === committed) this.#lastWrite.delete(op.sessionId);
    });
    return committed;
  }

  /** Resolves when the session's queued writes are committed; rejects at once while the store is failing. */
  async #settled(id: string): Promise<void> {
    const pending = this.#lastWrite.get(id);
    if (!pending) return;
    if (this.#queue.failing)
      throw new StoreUnavailableError(`writes of session ${id} are still being retried`);
    await pending;
  }
}
