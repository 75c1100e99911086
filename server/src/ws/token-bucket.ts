/**
 * The rate limits of one connection: token buckets for frames, bytes and awareness frames. Tokens flow in
 * continuously at each bucket's rate up to its burst; a take that finds too few tokens fails. The three
 * buckets share one clock and one object, since every open connection holds them. Time comes from the
 * caller so tests need no clock.
 */
export interface BucketRate {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export interface ConnectionRates {
  readonly messages: BucketRate;
  readonly bytes: BucketRate;
  readonly awareness: BucketRate;
}

export class ConnectionBuckets {
  private messages: number;
  private bytes: number;
  private awareness: number;
  private updatedAt: number;

  constructor(
    private readonly rates: ConnectionRates,
    now: number,
  ) {
    this.messages = rates.messages.burst;
    this.bytes = rates.bytes.burst;
    this.awareness = rates.awareness.burst;
    this.updatedAt = now;
  }

  /** Takes one frame of `byteLength` bytes; false when it exceeds the frame or the byte rate. */
  takeFrame(byteLength: number, now: number): boolean {
    this.refill(now);
    if (this.messages < 1 || this.bytes < byteLength) return false;
    this.messages -= 1;
    this.bytes -= byteLength;
    return true;
  }

  /** Takes one awareness frame (counted in addition to `takeFrame`). */
  takeAwareness(now: number): boolean {
    this.refill(now);
    if (this.awareness < 1) return false;
    this.awareness -= 1;
    return true;
  }

  private refill(now: number): void {
    const elapsedMs = now - this.updatedAt;
    if (elapsedMs <= 0) return;
    const { messages, bytes, awareness } = this.rates;
    this.messages = Math.min(messages.burst, this.messages + (elapsedMs * messages.ratePerSecond) / 1000);
    this.bytes = Math.min(bytes.burst, this.bytes + (elapsedMs * bytes.ratePerSecond) / 1000);
    this.awareness = Math.min(awareness.burst, this.awareness + (elapsedMs * awareness.ratePerSecond) / 1000);
    this.updatedAt = now;
  }
}

/** The rates every connection gets from the configured limits (one shared object). */
export function connectionRates(limits: {
  readonly MAX_MESSAGES_PER_SECOND: number;
  readonly MAX_BYTES_PER_SECOND: number;
  readonly MAX_MESSAGE_BYTES: number;
  readonly MAX_AWARENESS_UPDATES_PER_SECOND: number;
}): ConnectionRates {
  return Object.freeze({
    messages: { ratePerSecond: limits.MAX_MESSAGES_PER_SECOND, burst: limits.MAX_MESSAGES_PER_SECOND * 2 },
    // A joining client's full sync may arrive at once: the burst covers the largest frame.
    bytes: {
      ratePerSecond: limits.MAX_BYTES_PER_SECOND,
      burst: Math.max(limits.MAX_BYTES_PER_SECOND * 2, limits.MAX_MESSAGE_BYTES),
    },
    awareness: {
      ratePerSecond: limits.MAX_AWARENESS_UPDATES_PER_SECOND,
      burst: limits.MAX_AWARENESS_UPDATES_PER_SECOND * 2,
    },
  });
}
