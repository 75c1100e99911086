import type { Language } from '../../../shared/languages.js';

/**
 * The storage interface sessions are persisted through. It is shaped for a networked store (PostgreSQL
 * later) even though the default adapter is an embedded SQLite file: every call is async, and writes arrive
 * as batches so one round trip (one transaction) carries everything accepted in one event-loop turn.
 *
 * A session is a registry row plus its document: a snapshot (a full Yjs state update) and an append-only log
 * of the updates accepted since that snapshot. Applying the snapshot and then the log, in order, gives the
 * document. Yjs updates are idempotent, so an update that is both in the snapshot and in the log is harmless.
 */

/** One row of the session registry. Times are milliseconds since the epoch. */
export interface SessionRecord {
  id: string;
  createdAt: number;
  lastActiveAt: number;
  /** When the sweep may delete the session; moves forward with activity. */
  expiresAt: number;
  language: Language;
  /** SHA-256 of the owner token, hex; the token itself is never stored. */
  ownerTokenHash: string;
}

/** A session's stored document, as the store holds it. */
export interface StoredDocument {
  /** The compacted state, or `null` when the session has none (it always has one once created). */
  snapshot: Uint8Array | null;
  /** Updates appended since the snapshot, oldest first. */
  updates: Uint8Array[];
}

/** Writes that travel together in one batch, applied in order inside one transaction. */
export type WriteOp =
  /** Append one accepted update to the session's log. */
  | { type: 'append'; sessionId: string; update: Uint8Array }
  /** Replace the snapshot with the full state and drop the log it covers (everything logged so far). */
  | { type: 'compact'; sessionId: string; state: Uint8Array }
  /** Record activity: pushes `lastActiveAt` and `expiresAt` forward, and the language if given. */
  | { type: 'touch'; sessionId: string; lastActiveAt: number; expiresAt: number; language?: Language };

/**
 * Writes naming a session that no longer exists (deleted or expired meanwhile) are dropped silently, so one
 * session's deletion never fails a batch carrying other sessions' updates.
 */
export interface SessionStore {
  /** `sqlite` or `memory`; shown in logs and metrics. */
  readonly kind: string;
  /** Creates the registry row and the initial snapshot together; the initial content is written only here. */
  createSession(record: SessionRecord, initialState: Uint8Array): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  /**
   * The session's snapshot and log. Throws `CorruptSessionDataError` when an entry fails its integrity
   * check and `SessionNotStoredError` when the session does not exist.
   */
  loadDocument(id: string): Promise<StoredDocument>;
  /** Applies every op in one transaction: all of them are durable when the promise resolves, or none. */
  write(ops: readonly WriteOp[]): Promise<void>;
  /** Deletes the registry row, snapshot and log. Resolves `false` when there was nothing to delete. */
  deleteSession(id: string): Promise<boolean>;
  /** Ids of sessions whose `expiresAt` is at or before `now`, at most `limit` of them, soonest first. */
  listExpired(now: number, limit: number): Promise<string[]>;
  /** Cheap round trip for readiness checks; rejects when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A stored snapshot or log entry of one session is unreadable. Only that session is affected. */
export class CorruptSessionDataError extends Error {
  readonly code = 'SESSION_DATA_CORRUPT';
  constructor(
    readonly sessionId: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Stored data of session ${sessionId} is corrupt: ${detail}`, options);
    this.name = 'CorruptSessionDataError';
  }
}

/** The session has no registry row in the store. */
export class SessionNotStoredError extends Error {
  readonly code = 'SESSION_NOT_STORED';
  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is not in the store`);
    this.name = 'SessionNotStoredError';
  }
}
