import { MemoryStore } from './memory-store.js';
import { SqliteStore, type SqliteSynchronous } from './sqlite-store.js';
import type { SessionStore } from './types.js';

export const STORE_KINDS = ['sqlite', 'memory'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface StoreSettings {
  kind: StoreKind;
  /** Where the SQLite file lives; created when missing. */
  dataDir: string;
  sqliteSynchronous: SqliteSynchronous;
}

export function createStore(settings: StoreSettings): SessionStore {
  switch (settings.kind) {
    case 'sqlite':
      return new SqliteStore({ dataDir: settings.dataDir, synchronous: settings.sqliteSynchronous });
    case 'memory':
      return new MemoryStore();
  }
}
