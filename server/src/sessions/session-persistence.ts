import type { Language } from '../../../shared/languages.js';

/**
 * The seam where a durable store plugs in. The registry calls these and nothing else; `NO_PERSISTENCE`
 * keeps sessions in memory only, so unloading an idle session ends it.
 */
export interface PersistedSession {
  readonly id: string;
  readonly createdAt: Date;
  /** The document as one Yjs update (V1). */
  readonly state: Uint8Array;
}

/** A session being created: what the registry row holds besides the document. */
export interface NewSession extends PersistedSession {
  readonly language: Language;
  /** SHA-256 of the owner token; empty when nobody may delete the session. */
  readonly ownerTokenHash: string;
}

/** The live document handed in with each update, for compaction and the stored language. */
export interface LiveDocument {
  encodeFullState(): Uint8Array;
  readonly language: Language;
}

export interface SessionPersistence {
  /** The stored session, or `null` when there is none. Rejects when the store cannot answer. */
  load(id: string): Promise<PersistedSession | null>;
  /** Stores a newly created session before its id is handed out. */
  create(session: NewSession): Promise<void>;
  /**
   * Called after every applied update, in order. Must not throw; a store queues and batches. When it
   * returns a promise, the session passes the update on to peers only once it resolves (it is stored).
   */
  append(id: string, update: Uint8Array, live: LiveDocument): Promise<void> | undefined;
  /** Called before a session is unloaded from memory, with its full state; flushes what is queued. */
  unload(id: string, state: Uint8Array): Promise<void>;
  /** Called once on shutdown after every session is unloaded. */
  close(): Promise<void>;
}

export const NO_PERSISTENCE: SessionPersistence = Object.freeze({
  load: async () => null,
  create: async () => {},
  append: () => undefined,
  unload: async () => {},
  close: async () => {},
});
