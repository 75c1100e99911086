import type * as Y from 'yjs';
import { DOC_ROOTS } from '../../../shared/document-schema.js';
import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import { parseRunRecord, type RunRecord } from '../../../shared/run-record.js';

/**
 * The session's run history in the document (`runs`, a Y.Array of plain JSON objects, newest last). A run
 * is published when it starts and replaced as a whole while it goes on, in one transaction, so peers never
 * see half an update; the history is trimmed to MAX_RUNS_KEPT in the same transaction.
 */
export class RunsStore {
  readonly #runs: Y.Array<unknown>;
  readonly #doc: Y.Doc;
  /** The server's MAX_RUNS_KEPT once known. */
  maxKept: number;

  constructor(doc: Y.Doc, maxKept: number = LIMIT_DEFAULTS.MAX_RUNS_KEPT) {
    this.#doc = doc;
    this.#runs = doc.getArray<unknown>(DOC_ROOTS.RUNS);
    this.maxKept = maxKept;
  }

  /** Inserts or replaces the run with `record.id`. */
  publish(record: RunRecord): void {
    const value = structuredClone(record);
    this.#doc.transact(() => {
      const index = this.#runs.toArray().findIndex((item) => isRecordWithId(item, record.id));
      if (index === -1) {
        this.#runs.push([value]);
      } else {
        this.#runs.delete(index, 1);
        this.#runs.insert(index, [value]);
      }
      const excess = this.#runs.length - this.maxKept;
      if (excess > 0) this.#runs.delete(0, excess);
    });
  }

  /** Well-formed runs, oldest first; anything malformed a peer wrote is left out. */
  list(): RunRecord[] {
    return this.#runs
      .toArray()
      .map((item) => parseRunRecord(item))
      .filter((record): record is RunRecord => record !== null);
  }

  /** Whether any entry says it is running (cheap: no validation), e.g. to know if presence matters. */
  hasRunning(): boolean {
    return this.#runs
      .toArray()
      .some(
        (item) =>
          typeof item === 'object' && item !== null && (item as { status?: unknown }).status === 'running',
      );
  }

  /** Calls `listener` after every change to the history; returns the function that stops listening. */
  observe(listener: () => void): () => void {
    this.#runs.observe(listener);
    return () => this.#runs.unobserve(listener);
  }
}

function isRecordWithId(item: unknown, id: string): boolean {
  return typeof item === 'object' && item !== null && (item as { id?: unknown }).id === id;
}
