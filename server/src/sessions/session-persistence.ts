/**
 * The seam where a durable store plugs in. The registry calls these and nothing else; until a store is
 * configured, `NO_PERSISTENCE` keeps sessions in memory only, so unloading an idle session ends it.
 */
export interface PersistedSession {
  readonly id: string;
  readonly createdAt: Date;
  /** The document as one Yjs update (V1). */
  readonly state: Uint8Array;
}

export interface SessionPersistence {
  /** The stored session, or `null` when there is none. Rejects when the store cannot answer. */
  load(id: string): Promise<PersistedSession | null>;
  /** Stores a newly created session before its id is handed out. */
  create(session: PersistedSession): Promise<void>;
  /** Called after every applied update, in order. Must not throw; a store queues and batches. */
  append(id: string, update: Uint8Array): void;
  /** Called before a session is unloaded from memory, with its full state; flushes what is queued. */
  unload(id: string, state: Uint8Array): Promise<void>;
  /** Called once on shutdown after every session is unloaded. */
  close(): Promise<void>;
}

export const NO_PERSISTENCE: SessionPersistence = Object.freeze({
  load: async () => null,
  create: async () => {},
  append: () => {},
  unload: async () => {},
  close: async () => {},
});
