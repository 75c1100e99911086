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
  /**
   * Batches not yet committed, oldest first; the last one collects new ops. After a failure the failed
   * batches are put back in front, and all of them are retried as one transaction.
   */
  #waiting: Batch[] = [];
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
    let collecting = this.#waiting.at(-1);
    if (!collecting) {
      collecting = newBatch();
      this.#waiting.push(collecting);
    }
    collecting.ops.push(op);
    this.#schedule(0);
    return collecting.promise;
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
    return this.#waiting.reduce((sum, batch) => sum + batch.ops.length, this.#inFlightOps);
  }

  /**
   * Resolves when everything queued so far (and anything queued meanwhile) is committed. A retry waiting for
   * its backoff starts right away: someone is waiting, typically the shutdown.
   */
  drain(): Promise<void> {
    if (this.#waiting.length === 0 && !this.#writing) return Promise.resolve();
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
    const batches = this.#waiting;
    if (batches.length === 0) return this.#notifyDrained();
    this.#waiting = [];
    const ops = batches.length === 1 ? batches[0]!.ops : batches.flatMap((batch) => batch.ops);
    this.#writing = true;
    this.#inFlightOps = ops.length;
    try {
      await this.#store.write(ops);
    } catch (error) {
      this.#writing = false;
      this.#inFlightOps = 0;
      this.#retryLater(batches, error);
      return;
    }
    this.#writing = false;
    this.#inFlightOps = 0;
    if (this.#failedAttempts > 0) this.#options.onRecovered?.(this.#failedAttempts);
    this.#failedAttempts = 0;
    this.#lastError = null;
    this.#options.onCommitted?.(ops.length);
    // In order: callers waiting on older batches run first.
    for (const batch of batches) batch.resolve();
    if (this.#waiting.length > 0) this.#schedule(0);
    else this.#notifyDrained();
  }

  /** Puts failed batches back in front of anything queued meanwhile and schedules the retry. */
  #retryLater(failed: Batch[], error: unknown): void {
    this.#waiting = [...failed, ...this.#waiting];
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
