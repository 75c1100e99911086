import type * as Y from 'yjs';
import type { AwarenessUser } from '../../../shared/awareness-user.js';
import type { Language } from '../../../shared/languages.js';
import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import {
  DEFAULT_RUN_LIMITS,
  RUN_STATUSES,
  type RunLimits,
  type RunRecord,
  type RunStatus,
} from '../../../shared/run-record.js';
import { adoptEarlyPython } from './early-python.js';
import { pythonLoadSettled } from './python-readiness.js';
import { RunOutputBuffer } from './run-output-buffer.js';
import { RunsStore } from './runs-store.js';
import { SandboxHost } from './sandbox-host.js';
import type { PythonState, RunOutcome, RuntimeMessage } from './sandbox-protocol.js';

/** How often a running program's output is re-published to the session (it is shown locally at once). */
const PUBLISH_INTERVAL_MS = 500;
/** After Stop, how long the frame has to confirm before it is thrown away with everything in it. */
const STOP_WATCHDOG_MS = LIMIT_DEFAULTS.RUN_STOP_GRACE_MS + 2_000;

export interface RunOptions {
  language: Language;
  code: string;
  stdin: string;
  timeoutMs: number;
}

export interface PythonStatus {
  state: PythonState;
  detail: string;
}

interface LocalRun {
  record: RunRecord;
  output: RunOutputBuffer;
  startedAt: number;
  stopReason: 'stop' | 'timeout' | null;
  /** Counted from the program's start, so loading Python does not eat into it. */
  timeoutMs: number;
  /** Whether the sandbox has answered at all (started, printed, or reported Python loading). */
  alive: boolean;
  timers: ReturnType<typeof setTimeout>[];
  publishTimer: ReturnType<typeof setTimeout> | null;
}

function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * Runs the code of the person at this keyboard — only here; peers' runs are only ever displayed — and
 * publishes each run to the session: when it starts, while it prints (throttled), and when it ends.
 */
export class RunController {
  readonly store: RunsStore;
  python: PythonStatus | null = null;
  #current: LocalRun | null = null;
  readonly #host: SandboxHost;
  readonly #doc: Y.Doc;
  readonly #onChange: () => void;
  #limits: RunLimits = DEFAULT_RUN_LIMITS;

  constructor(doc: Y.Doc, frameContainer: HTMLElement, onChange: () => void) {
    this.#doc = doc;
    this.store = new RunsStore(doc);
    this.#onChange = onChange;
    // A Python session's frame may have started loading Python before this panel existed.
    const early = adoptEarlyPython();
    this.#host = early?.host ?? new SandboxHost(frameContainer);
    this.#host.listen((message) => this.#receive(message));
    this.python = early?.status ?? null;
  }

  /** Applies the server's run limits to the runs started from now on (runs beyond them would be refused). */
  setLimits(limits: RunLimits): void {
    this.#limits = limits;
    this.store.maxKept = limits.maxRunsKept;
  }

  /** The run in progress here, with its output as it arrives. */
  get current(): RunRecord | null {
    return this.#current?.record ?? null;
  }

  preloadPython(): void {
    if (this.python === null || this.python.state === 'failed') {
      this.python = { state: 'loading', detail: 'Loading Python…' };
      this.#host.send({ type: 'preload', language: 'python' });
      this.#onChange();
    }
  }

  start(options: RunOptions, user: AwarenessUser): void {
    if (this.#current !== null) return;
    const record: RunRecord = {
      id: newRunId(),
      clientId: this.#doc.clientID,
      by: user.name,
      color: user.color,
      language: options.language,
      startedAt: Date.now(),
      status: RUN_STATUSES.RUNNING,
      durationMs: null,
      exitCode: null,
      output: [],
      truncated: false,
    };
    const limits = this.#limits;
    const output = new RunOutputBuffer(limits.maxOutputBytes, limits.maxOutputLines);
    const run: LocalRun = {
      record,
      output,
      startedAt: performance.now(),
      stopReason: null,
      timeoutMs: options.timeoutMs,
      alive: false,
      timers: [],
      publishTimer: null,
    };
    this.#current = run;
    run.timers.push(setTimeout(() => this.#giveUpIfSilent(run), LIMIT_DEFAULTS.RUN_START_TIMEOUT_MS));
    // The request goes first: the frame starts while this page publishes the run and redraws.
    this.#host.send({
      type: 'run',
      runId: record.id,
      language: options.language,
      code: options.code,
      stdin: options.stdin.slice(0, LIMIT_DEFAULTS.MAX_RUN_STDIN_BYTES),
      maxOutputBytes: limits.maxOutputBytes,
      maxOutputLines: limits.maxOutputLines,
    });
    this.store.publish(record);
    this.#onChange();
  }

  stop(reason: 'stop' | 'timeout' = 'stop'): void {
    const run = this.#current;
    if (run === null || run.stopReason !== null) return;
    run.stopReason = reason;
    this.#host.send({ type: 'stop', runId: run.record.id });
    // The frame answers `done` once the program has ended; if it cannot, it goes, and its workers with it.
    run.timers.push(
      setTimeout(() => {
        this.#host.reset();
        if (this.python !== null) this.python = null;
        this.#finish(run, 'interrupted', 130);
      }, STOP_WATCHDOG_MS),
    );
    this.#onChange();
  }

  /** Ends everything: a run in progress is published as stopped, since its frame goes with the panel. */
  destroy(): void {
    const run = this.#current;
    if (run !== null) {
      run.stopReason = 'stop';
      this.#finish(run, 'interrupted', 130);
    }
    this.#host.destroy();
  }

  /** The frame never loaded or never answered: throw it away and end the run instead of hanging. */
  #giveUpIfSilent(run: LocalRun): void {
    if (run.alive || this.#current !== run) return;
    this.#host.reset();
    this.python = null;
    run.output.note('[the code runner did not start; try again]');
    this.#finish(run, 'error', 1);
  }

  #receive(message: RuntimeMessage): void {
    if (this.#current !== null && message.type !== 'ready') this.#current.alive = true;
    if (message.type === 'python') {
      this.python = { state: message.state, detail: message.detail };
      if (message.state !== 'loading') pythonLoadSettled();
      this.#onChange();
      return;
    }
    const run = this.#current;
    if (message.type === 'ready' || run === null || message.runId !== run.record.id) return;
    if (message.type === 'started') {
      run.startedAt = performance.now();
      run.timers.push(setTimeout(() => this.stop('timeout'), run.timeoutMs));
    } else if (message.type === 'output') {
      run.output.append(message.stream, message.text);
      run.record = { ...run.record, output: run.output.chunks, truncated: run.output.truncated };
      run.publishTimer ??= setTimeout(() => {
        run.publishTimer = null;
        if (this.#current === run) this.store.publish(run.record);
      }, PUBLISH_INTERVAL_MS);
      this.#onChange();
    } else {
      this.#finish(run, message.outcome, message.exitCode);
    }
  }

  #finish(run: LocalRun, outcome: RunOutcome, exitCode: number): void {
    if (this.#current !== run) return;
    this.#current = null;
    for (const timer of run.timers) clearTimeout(timer);
    if (run.publishTimer !== null) clearTimeout(run.publishTimer);
    const durationMs = Math.round(performance.now() - run.startedAt);
    const status = finalStatus(run.stopReason, outcome);
    if (status === RUN_STATUSES.TIMEOUT)
      run.output.note(`[stopped: the run took longer than its time limit]`);
    else if (status === RUN_STATUSES.STOPPED) run.output.note('[stopped]');
    run.record = {
      ...run.record,
      status,
      durationMs,
      exitCode,
      output: run.output.chunks,
      truncated: run.output.truncated,
    };
    this.store.publish(run.record);
    this.#onChange();
  }
}

function finalStatus(stopReason: LocalRun['stopReason'], outcome: RunOutcome): RunStatus {
  if (stopReason === 'timeout') return RUN_STATUSES.TIMEOUT;
  if (stopReason === 'stop') return RUN_STATUSES.STOPPED;
  if (outcome === 'ok') return RUN_STATUSES.OK;
  return outcome === 'interrupted' ? RUN_STATUSES.STOPPED : RUN_STATUSES.ERROR;
}
