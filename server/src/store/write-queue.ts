import type { SessionStore, WriteOp } from './types.js';

export interface WriteQueueOptions {
  /** First retry delay after a failed batch; doubles per failure up to `retryMaxMs`. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** Told about each failure and about the recovery, for logs and metrics. */
  onFailure?: (error: unknown, attempt: number, retryInMs: number) => void;
  onRecovered?: (failedAttempts: number) => void;
  /** Told about each committed batch (for metrics). */
  onCommitted?: (opCount: number) => void;
}

interface Batch {
  ops: WriteOp[];
  promise: Promise<void>;
  resolve: () => void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { ops: [], promise, resolve };
}

/**
 * Collects the writes of one event-loop turn and commits them as one batch (one transaction). A caller that
 * must not pass an update on before it is durable awaits the promise `enqueue` returns: it resolves once the
 * batch holding the op is committed. Batches commit in order, so those promises resolve in order too.
 *
 * A failed batch is kept, merged with whatever arrives meanwhile, and retried with exponential backoff; the
 * promises simply stay pending, so nothing is dropped and nothing is reported as saved when it is not.
 */
export class WriteQueue {
  readonly #store: SessionStore;
  readonly #options: WriteQueueOptions;
  /** The batch collecting new ops; after a failure, the failed ops with newer ones appended. */
  #collecting: Batch | null = null;
  #timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  #writing = false;
  #inFlightOps = 0;
  #failedAttempts = 0;
  #lastError: unknown = null;
  #drainWaiters: Array<() => void> = [];

  constructor(store: SessionStore, options: WriteQueueOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Queues `op` for this turn's batch; the promise resolves when it is committed. */
  enqueue(op: WriteOp): Promise<void> {
    this.#collecting ??= newBatch();
    this.#collecting.ops.push(op);
    this.#schedule(0);
    return this.#collecting.promise;
  }

  /** Whether the last attempt failed and a retry is pending. */
  get failing(): boolean {
    return this.#failedAttempts > 0;
  }

  get lastError(): unknown {
    return this.#lastError;
  }

  /** Ops not yet committed (queued or being written). */
  get pendingOps(): number {
    return (this.#collecting?.ops.length ?? 0) + this.#inFlightOps;
  }

  /**
   * Resolves when everything queued so far (and anything queued meanwhile) is committed. A retry waiting for
   * its backoff starts right away: someone is waiting, typically the shutdown.
   */
  drain(): Promise<void> {
    if (!this.#collecting && !this.#writing) return Promise.resolve();
    if (!this.#writing) {
      this.#cancelTimer();
      this.#schedule(0);
    }
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Stops the timer; ops still queued stay uncommitted. Called after `drain` when shutting down. */
  stop(): void {
    this.#cancelTimer();
  }

  #cancelTimer(): void {
    if (this.#timer) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
    }
    this.#timer = null;
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#writing) return;
    this.#timer =
      delayMs === 0 ? setImmediate(() => this.#flush()) : setTimeout(() => this.#flush(), delayMs);
  }

  async #flush(): Promise<void> {
    this.#timer = null;
    const batch = this.#collecting;
    if (!batch) return this.#notifyDrained();
    this.#collecting = null;
    this.#writing = true;
    this.#inFlightOps = batch.ops.length;
    try {
      await this.#store.write(batch.ops);
    } catch (error) {
      this.#writing = false;
      this.#inFlightOps = 0;
      this.#requeue(batch, error);
      return;
    }
    this.#writing = false;
    this.#inFlightOps = 0;
    if (this.#failedAttempts > 0) this.#options.onRecovered?.(this.#failedAttempts);
    this.#failedAttempts = 0;
    this.#lastError = null;
    this.#options.onCommitted?.(batch.ops.length);
    batch.resolve();
    if (this.#collecting) this.#schedule(0);
    else this.#notifyDrained();
  }

  /** Puts a failed batch back in front of anything queued meanwhile and schedules the retry. */
  #requeue(failed: Batch, error: unknown): void {
    const newer = this.#collecting;
    if (newer) {
      failed.ops.push(...newer.ops);
      // The newer callers resolve right after the older ones, keeping the order of their promises.
      void failed.promise.then(newer.resolve);
    }
    this.#collecting = failed;
    this.#failedAttempts += 1;
    this.#lastError = error;
    const { retryInitialMs, retryMaxMs } = this.#options;
    const delay = Math.min(retryMaxMs, retryInitialMs * 2 ** (this.#failedAttempts - 1));
    this.#options.onFailure?.(error, this.#failedAttempts, delay);
    this.#schedule(delay);
  }

  #notifyDrained(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
