import type { FastifyBaseLogger } from 'fastify';
import type { DurablePersistence } from './durable-persistence.js';

/** What the sweep needs from the loaded sessions. */
export interface SweepTarget {
  /** Someone is connected to the session right now. */
  isInUse(id: string): boolean;
  /** Closes the session's sockets with "gone" and drops it from memory. */
  evict(id: string): Promise<void>;
}

export interface ExpirySweeperOptions {
  readonly intervalMs: number;
  /** Sessions deleted per store round trip. */
  readonly batchSize: number;
  readonly log: FastifyBaseLogger;
}

/**
 * Deletes sessions whose expiry has passed, from memory and from the store, on a timer. A session somebody
 * has open is not deleted under them: being open counts as activity and pushes its expiry forward.
 */
export class ExpirySweeper {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(
    private readonly persistence: DurablePersistence,
    private readonly target: SweepTarget,
    private readonly options: ExpirySweeperOptions,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.options.log.error({ err: error }, 'expiry sweep failed'));
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  /** One pass; resolves the number of sessions deleted. Overlapping calls share one pass. */
  sweep(): Promise<number> {
    this.#running ??= this.#sweepAll().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #sweepAll(): Promise<number> {
    let deleted = 0;
    const kept = new Set<string>();
    for (;;) {
      const ids = (await this.persistence.listExpired(this.options.batchSize + kept.size)).filter(
        (id) => !kept.has(id),
      );
      if (ids.length === 0) return deleted;
      for (const id of ids) {
        if (this.target.isInUse(id)) {
          this.persistence.keepAlive(id);
          kept.add(id);
          continue;
        }
        // The store first: a join racing with the sweep then finds nothing to load.
        if (await this.persistence.delete(id)) deleted += 1;
        await this.target.evict(id);
        this.options.log.info({ sessionId: id }, 'session expired and deleted');
      }
      if (ids.length < this.options.batchSize) return deleted;
    }
  }
}
