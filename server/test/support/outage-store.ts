import { MemoryStore } from '../../src/store/memory-store.js';
import type { WriteOp } from '../../src/store/types.js';

/** A real memory store whose writes fail while `down` is set, as a networked store does during an outage. */
export class OutageStore extends MemoryStore {
  down = false;
  /** The size of each committed batch. */
  readonly batches: number[] = [];

  /** While set, writes wait for it before succeeding or failing, like a slow round trip. */
  roundTrip: Promise<void> | null = null;

  override async write(ops: readonly WriteOp[]): Promise<void> {
    if (this.roundTrip) await this.roundTrip;
    if (this.down) throw new Error('connection refused');
    this.batches.push(ops.length);
    return super.write(ops);
  }
}
