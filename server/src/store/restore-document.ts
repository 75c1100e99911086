import * as Y from 'yjs';
import { CorruptSessionDataError, type StoredDocument } from './types.js';

/**
 * Applies a stored snapshot and log to `doc`, in order. An entry that Yjs cannot decode makes the whole
 * load fail with `CorruptSessionDataError` naming the entry; the caller then discards `doc`, so a partly
 * applied entry never reaches anyone, and nothing is written back over the stored data.
 */
export function restoreDocument(sessionId: string, doc: Y.Doc, stored: StoredDocument): void {
  const apply = (update: Uint8Array, what: string) => {
    try {
      Y.applyUpdate(doc, update);
    } catch (error) {
      throw new CorruptSessionDataError(sessionId, `${what} cannot be decoded`, { cause: error });
    }
  };
  if (stored.snapshot) apply(stored.snapshot, 'the snapshot');
  stored.updates.forEach((update, index) => {
    apply(update, `log entry ${index + 1} of ${stored.updates.length}`);
  });
}
