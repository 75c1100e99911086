import {
  SessionNotStoredError,
  type SessionRecord,
  type SessionStore,
  type StoredDocument,
  type WriteOp,
} from './types.js';

interface MemoryEntry {
  record: SessionRecord;
  snapshot: Uint8Array;
  updates: Uint8Array[];
}

/**
 * Keeps everything in this process: sessions vanish on restart. For tests and demos. It copies bytes in and
 * out so callers cannot change stored data by reusing a buffer, which is what a real store guarantees too.
 */
export class MemoryStore implements SessionStore {
  readonly kind = 'memory';
  readonly #sessions = new Map<string, MemoryEntry>();

  async createSession(record: SessionRecord, initialState: Uint8Array): Promise<void> {
    if (this.#sessions.has(record.id)) throw new Error(`Session ${record.id} already exists`);
    this.#sessions.set(record.id, { record: { ...record }, snapshot: initialState.slice(), updates: [] });
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const entry = this.#sessions.get(id);
    return entry ? { ...entry.record } : null;
  }

  async loadDocument(id: string): Promise<StoredDocument> {
    const entry = this.#sessions.get(id);
    if (!entry) throw new SessionNotStoredError(id);
    return { snapshot: entry.snapshot.slice(), updates: entry.updates.map((update) => update.slice()) };
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    for (const op of ops) {
      const entry = this.#sessions.get(op.sessionId);
      if (!entry) continue;
      switch (op.type) {
        case 'append':
          entry.updates.push(op.update.slice());
          break;
        case 'compact':
          entry.snapshot = op.state.slice();
          entry.updates = [];
          break;
        case 'touch':
          entry.record.lastActiveAt = op.lastActiveAt;
          entry.record.expiresAt = op.expiresAt;
          if (op.language) entry.record.language = op.language;
          break;
      }
    }
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.#sessions.delete(id);
  }

  async listExpired(now: number, limit: number): Promise<string[]> {
    return [...this.#sessions.values()]
      .filter((entry) => entry.record.expiresAt <= now)
      .sort((a, b) => a.record.expiresAt - b.record.expiresAt)
      .slice(0, limit)
      .map((entry) => entry.record.id);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
