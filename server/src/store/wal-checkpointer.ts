import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies the write-ahead log into the database file. */
export const WAL_CHECKPOINT_INTERVAL_MS = 1000;
/** Log length (pages) past which the log is rewound at the first checkpoint that finds the writes paused. */
export const WAL_RESTART_AFTER_FRAMES = 1000;
/** Log length (pages, ~40 MB) past which the log is rewound even while writes never pause. */
export const WAL_FORCE_RESTART_AFTER_FRAMES = 10_000;
/** Time without a commit that counts as a pause in the writes. */
export const WAL_RESTART_IDLE_MS = 50;
/** How long writers wait for a rewind before they go ahead (and contend for the lock as usual). */
const RESTART_WAIT_LIMIT_MS = 1000;
/** How long `stop` waits for the background connection to close before terminating its thread. */
const STOP_TIMEOUT_MS = 2000;

/** What one checkpoint reported: frames in the log and how many of them are now in the database file. */
export interface CheckpointResult {
  readonly logFrames: number;
  readonly checkpointedFrames: number;
}

type WorkerMessage =
  | { readonly checkpoint: CheckpointResult }
  | { readonly restarted: boolean }
  | { readonly error: string };

/*
 * Runs in its own thread with its own connection to the same file. A passive checkpoint never blocks the
 * writer; it only copies frames that are already committed and fsyncs the database file — the one slow
 * system call of WAL mode with `synchronous = NORMAL`, which would otherwise stall the event loop.
 *
 * A restart checkpoint takes the write lock while it copies and fsyncs, so it runs only when asked, while
 * the store holds its commits back. Right after it, this connection writes one page (the schema version,
 * unchanged): the first commit into a rewound log writes and fsyncs the log's header, and that fsync
 * belongs here rather than in the next commit on the event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const report = (message) => parentPort.postMessage(message);
const fail = (error) => report({ error: error instanceof Error ? error.message : String(error) });
const timer = setInterval(() => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    report({ checkpoint: { logFrames: row.log, checkpointedFrames: row.checkpointed } });
  } catch (error) {
    fail(error);
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'restart') {
    try {
      const [row] = db.pragma('wal_checkpoint(RESTART)');
      const restarted = row.busy === 0;
      if (restarted) db.pragma('user_version = ' + db.pragma('user_version', { simple: true }));
      report({ restarted });
    } catch (error) {
      fail(error);
    }
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointerOptions {
  /** The database file, already in WAL mode. */
  readonly path: string;
  readonly intervalMs: number;
  /** When the store last committed (`performance.now()`), to rewind the log in a pause of the writes. */
  readonly lastCommitAt: () => number;
  /** The background connection failed: the caller falls back to checkpoints on its own connection. */
  readonly onFailure: (reason: string) => void;
  readonly restartAfterFrames?: number;
  readonly forceRestartAfterFrames?: number;
}

/**
 * Keeps the write-ahead log short from a worker thread, so the store's connection (on the event loop) can
 * turn its automatic checkpoints off and a commit stays a plain append to the log.
 *
 * The log starts over only when a commit finds it fully copied; under steady writes that may never happen
 * by chance. Past a bound, the worker rewinds it with a restart checkpoint, which holds the write lock: a
 * commit contending for it would sleep in SQLite's busy handler on the event loop, in steps of up to
 * 100 ms. So the rewind waits for a pause in the writes (or a much longer log), and while it runs,
 * `rewinding` tells the store to hold its commits back instead.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #options: WalCheckpointerOptions;
  #failed = false;
  #exited = false;
  #last: CheckpointResult | null = null;
  #restarts = 0;
  #rewinding: Promise<void> | null = null;
  #endRewind: (() => void) | null = null;

  constructor(options: WalCheckpointerOptions) {
    this.#options = options;
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modulePath, path: options.path, intervalMs: options.intervalMs },
    });
    // A background helper never keeps the process alive.
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerMessage) => {
      if ('checkpoint' in message) this.#onCheckpoint(message.checkpoint);
      else if ('restarted' in message) {
        if (message.restarted) this.#restarts += 1;
        this.#finishRewind();
      } else this.#fail(message.error);
    });
    this.#worker.on('error', (error) => this.#fail(error.message));
    this.#worker.once('exit', () => {
      this.#exited = true;
      this.#finishRewind();
    });
  }

  /** The latest checkpoint's figures, `null` before the first one. */
  get lastCheckpoint(): CheckpointResult | null {
    return this.#last;
  }

  /** How many times the log was rewound. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Settles when the rewind in progress ends; `null` when none runs. Writers wait for it. */
  get rewinding(): Promise<void> | null {
    return this.#rewinding;
  }

  /** Closes the background connection (so the store's own close can checkpoint and remove the log). */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    const timer = setTimeout(() => void this.#worker.terminate(), STOP_TIMEOUT_MS);
    this.#worker.postMessage('stop');
    await exited;
    clearTimeout(timer);
  }

  #onCheckpoint(result: CheckpointResult): void {
    this.#last = result;
    if (this.#rewinding !== null || this.#failed || result.logFrames <= this.#restartAfterFrames) return;
    const paused = performance.now() - this.#options.lastCommitAt() >= WAL_RESTART_IDLE_MS;
    const forceAfter = this.#options.forceRestartAfterFrames ?? WAL_FORCE_RESTART_AFTER_FRAMES;
    if (paused || result.logFrames > forceAfter) this.#startRewind();
  }

  get #restartAfterFrames(): number {
    return this.#options.restartAfterFrames ?? WAL_RESTART_AFTER_FRAMES;
  }

  #startRewind(): void {
    // A worker that never answers must not hold the writes forever: they then go ahead and contend.
    const timer = setTimeout(() => this.#finishRewind(), RESTART_WAIT_LIMIT_MS);
    timer.unref();
    this.#rewinding = new Promise<void>((resolve) => {
      this.#endRewind = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#worker.postMessage('restart');
  }

  #finishRewind(): void {
    const end = this.#endRewind;
    this.#endRewind = null;
    this.#rewinding = null;
    end?.();
  }

  #fail(reason: string): void {
    this.#finishRewind();
    if (this.#failed) return;
    this.#failed = true;
    this.#options.onFailure(reason);
  }
}
