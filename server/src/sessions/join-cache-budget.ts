/**
 * One budget for every session's cached answer to fresh joins (a whole encoded copy of its document): a
 * server with many large documents open, each watched by people who do not edit, would otherwise hold a
 * second copy of each. Past the budget, the caches used longest ago are dropped; a later join encodes the
 * document again.
 */
export interface CachingSession {
  /** Drops the session's cached answer (and tells the budget through `release`). */
  releaseCaches(): void;
}

export class JoinCacheBudget {
  /** Cached bytes per session, least recently used first (a Map keeps insertion order). */
  private readonly cached = new Map<CachingSession, number>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  /** Counts a newly cached answer of `bytes`, then drops older caches until the total fits. */
  hold(session: CachingSession, bytes: number): void {
    this.release(session);
    this.cached.set(session, bytes);
    this.total += bytes;
    for (const oldest of this.cached.keys()) {
      if (this.total <= this.maxBytes || oldest === session) break;
      oldest.releaseCaches();
    }
  }

  /** The session's cache served a join: it becomes the most recently used. */
  touch(session: CachingSession): void {
    const bytes = this.cached.get(session);
    if (bytes === undefined) return;
    this.cached.delete(session);
    this.cached.set(session, bytes);
  }

  /** The session's cache is gone. */
  release(session: CachingSession): void {
    const bytes = this.cached.get(session);
    if (bytes === undefined) return;
    this.cached.delete(session);
    this.total -= bytes;
  }
}
