/**
 * A token bucket: `ratePerSecond` tokens flow in continuously up to `burst`; a take that finds too few
 * tokens fails. Time comes from the caller so tests need no clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  take(amount: number, now: number): boolean {
    const elapsedMs = now - this.updatedAt;
    if (elapsedMs > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.ratePerSecond) / 1000);
      this.updatedAt = now;
    }
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}
