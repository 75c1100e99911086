import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies the write-ahead log into the database file. */
export const WAL_CHECKPOINT_INTERVAL_MS = 1000;
/** Log length (pages) past which the background checkpoint also rewinds the log; SQLite's own default. */
const RESTART_AFTER_FRAMES = 1000;
/** How long `stop` waits for the background connection to close before terminating its thread. */
const STOP_TIMEOUT_MS = 2000;

/** What one checkpoint reported: frames in the log and how many of them are now in the database file. */
export interface CheckpointResult {
  readonly logFrames: number;
  readonly checkpointedFrames: number;
}

type WorkerMessage = { readonly checkpoint: CheckpointResult } | { readonly error: string };

/*
 * Runs in its own thread with its own connection to the same file. A passive checkpoint never blocks the
 * writer; it only copies frames that are already committed and fsyncs the database file — the one slow
 * system call of WAL mode with `synchronous = NORMAL`, which would otherwise stall the event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    let [row] = db.pragma('wal_checkpoint(PASSIVE)');
    // The log starts over only when a commit finds it fully copied; under steady writes that may never
    // happen by chance. Past the bound, a restart checkpoint waits for a gap between commits to rewind it.
    if (row.log > workerData.restartAfterFrames) [row] = db.pragma('wal_checkpoint(RESTART)');
    parentPort.postMessage({ checkpoint: { logFrames: row.log, checkpointedFrames: row.checkpointed } });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointerOptions {
  /** The database file, already in WAL mode. */
  readonly path: string;
  readonly intervalMs: number;
  /** The background connection failed: the caller falls back to checkpoints on its own connection. */
  readonly onFailure: (reason: string) => void;
}

/**
 * Keeps the write-ahead log short from a worker thread, so the store's connection (on the event loop) can
 * turn its automatic checkpoints off and a commit stays a plain append to the log.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  #failed = false;
  #exited = false;
  #last: CheckpointResult | null = null;

  constructor(options: WalCheckpointerOptions) {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        modulePath,
        path: options.path,
        intervalMs: options.intervalMs,
        restartAfterFrames: RESTART_AFTER_FRAMES,
      },
    });
    // A background helper never keeps the process alive.
    this.#worker.unref();
    const fail = (reason: string): void => {
      if (this.#failed) return;
      this.#failed = true;
      options.onFailure(reason);
    };
    this.#worker.on('message', (message: WorkerMessage) => {
      if ('checkpoint' in message) this.#last = message.checkpoint;
      else fail(message.error);
    });
    this.#worker.on('error', (error) => fail(error.message));
    this.#worker.once('exit', () => {
      this.#exited = true;
    });
  }

  /** The latest checkpoint's figures, `null` before the first one. */
  get lastCheckpoint(): CheckpointResult | null {
    return this.#last;
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
}
