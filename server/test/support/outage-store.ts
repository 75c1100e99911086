import { MemoryStore } from '../../src/store/memory-store.js';
import type { StoredDocument, WriteOp } from '../../src/store/types.js';

/**
 * A real memory store whose writes fail while `down` is set, as a networked store does during an outage, and
 * whose round trips can be held open.
 */
export class OutageStore extends MemoryStore {
  down = false;
  /** The size of each committed batch. */
  readonly batches: number[] = [];

  /** While set, writes wait for it before succeeding or failing, like a slow round trip. */
  roundTrip: Promise<void> | null = null;

  /** While set, a document read waits for it after reading, like an answer still on its way back. */
  readRoundTrip: Promise<void> | null = null;
  /** Document reads so far, held or not. */
  documentReads = 0;

  override async loadDocument(id: string): Promise<StoredDocument> {
    const stored = await super.loadDocument(id);
    this.documentReads += 1;
    if (this.readRoundTrip) await this.readRoundTrip;
    return stored;
  }

  override async write(ops: readonly WriteOp[]): Promise<void> {
    if (this.roundTrip) await this.roundTrip;
    if (this.down) throw new Error('connection refused');
    this.batches.push(ops.length);
    return super.write(ops);
  }
}
