/**
 * Latency from a sender's insert to each receiver's receipt. Every insert is identified by its Yjs id:
 * the sender's clientID and the clock of its first character. A receiver knows it has an edit once its
 * document's state for that client has moved past the edit's clock, which holds however the server
 * batches or merges the updates it relays.
 */
import { performance } from 'node:perf_hooks';
import { Samples } from './stats.js';

interface SenderLog {
  clocks: number[];
  /** `performance.now()` at the insert; NaN during warm-up (delivered, but not measured). */
  times: number[];
}

export class EditLog {
  private readonly senders = new Map<number, SenderLog>();
  readonly latencyMs = new Samples();
  measuring = false;
  inserts = 0;
  deliveries = 0;

  recordInsert(clientId: number, clock: number, at: number): void {
    let log = this.senders.get(clientId);
    if (!log) {
      log = { clocks: [], times: [] };
      this.senders.set(clientId, log);
    }
    log.clocks.push(clock);
    log.times.push(this.measuring ? at : Number.NaN);
    this.inserts++;
  }

  /** The per-receiver view that turns state-vector advances into latency samples. */
  receiver(): EditReceipts {
    return new EditReceipts(this);
  }

  /** Called by a receiver whose state for `clientId` advanced to `clock` (exclusive). */
  advance(clientId: number, fromIndex: number, clock: number): number {
    const log = this.senders.get(clientId);
    if (!log) return fromIndex;
    const now = performance.now();
    let index = fromIndex;
    while (index < log.clocks.length && log.clocks[index]! < clock) {
      const sentAt = log.times[index]!;
      if (!Number.isNaN(sentAt)) this.latencyMs.add(now - sentAt);
      this.deliveries++;
      index++;
    }
    return index;
  }
}

export class EditReceipts {
  private readonly nextIndex = new Map<number, number>();

  constructor(private readonly log: EditLog) {}

  advanced(clientId: number, clock: number): void {
    this.nextIndex.set(clientId, this.log.advance(clientId, this.nextIndex.get(clientId) ?? 0, clock));
  }
}

/** The same for awareness (cursor) updates, identified by (clientID, awareness clock). */
export class AwarenessLog {
  private readonly sentAt = new Map<number, Map<number, number>>();
  readonly latencyMs = new Samples();
  measuring = false;

  recordSend(clientId: number, clock: number, at: number): void {
    if (!this.measuring) return;
    let clocks = this.sentAt.get(clientId);
    if (!clocks) {
      clocks = new Map();
      this.sentAt.set(clientId, clocks);
    }
    clocks.set(clock, at);
  }

  recordReceipt(clientId: number, clock: number): void {
    const sentAt = this.sentAt.get(clientId)?.get(clock);
    if (sentAt !== undefined) this.latencyMs.add(performance.now() - sentAt);
  }
}
