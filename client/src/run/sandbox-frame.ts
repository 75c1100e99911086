import { LIMIT_DEFAULTS } from '../../../shared/limits.js';
import type { WorkerCommand } from './runtime/worker-main.js';
import runtimeModulePath from './runtime/worker-main.ts?worker&url';
import {
  type HostMessage,
  PYTHON_FRAME_HINT,
  PYTHON_SNAPSHOT_PATH,
  PYTHON_WORKER_NAME,
  parseHostMessage,
  parseRuntimeMessage,
  type RunRequest,
  type RuntimeMessage,
} from './sandbox-protocol.js';

/**
 * The sandboxed run frame (client/sandbox.html). The app page frames it with `sandbox="allow-scripts"` and
 * no `allow-same-origin`, so this document has an opaque origin: code run here cannot reach the app's DOM,
 * storage, cookies, IndexedDB or credentialed API. People's code runs in a worker created here, never in
 * this document, so Stop can always end it.
 *
 * Measured in Chromium 156 (headless): from an opaque origin, `new Worker('/assets/…')` is refused as
 * cross-origin and a *module* worker from a blob: URL fails to start, but a classic blob: worker that
 * `import()`s our runtime module works (the module and Pyodide's files are fetched with CORS, which
 * securityHeadersFor grants them). With the parent's `allow="cross-origin-isolated"` and COEP on this page
 * the frame is cross-origin isolated, so it can share a SharedArrayBuffer with the worker: Python's
 * interrupt buffer, which turns Stop into a KeyboardInterrupt without reloading Pyodide.
 */

const APP_ORIGIN = new URL(location.href).origin;
const RUNTIME_MODULE_URL = new URL(runtimeModulePath, location.href).href;
const SNAPSHOT_URL = new URL(PYTHON_SNAPSHOT_PATH, location.href).href;
const SIGINT = 2;

function postToPage(message: RuntimeMessage): void {
  parent.postMessage(message, APP_ORIGIN);
}

class RuntimeWorker {
  readonly worker: Worker;
  readonly #queue: Array<{ command: WorkerCommand; transfer: Transferable[] }> = [];
  #ready = false;

  constructor(
    python: boolean,
    onMessage: (message: RuntimeMessage) => void,
    onError: (detail: string) => void,
  ) {
    const bootstrap = `import(${JSON.stringify(RUNTIME_MODULE_URL)}).catch((error) => setTimeout(() => { throw error; }));`;
    const url = URL.createObjectURL(new Blob([bootstrap], { type: 'text/javascript' }));
    this.worker = new Worker(url, python ? { name: PYTHON_WORKER_NAME } : {});
    URL.revokeObjectURL(url);
    this.worker.addEventListener('message', (event: MessageEvent<unknown>) => {
      // The worker runs people's code, which can post anything: parse before use.
      const message = parseRuntimeMessage(event.data);
      if (message === null) return;
      if (message.type === 'ready') {
        this.#ready = true;
        for (const { command, transfer } of this.#queue.splice(0)) this.worker.postMessage(command, transfer);
      } else {
        onMessage(message);
      }
    });
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      onError(event.message || 'the code runner failed to start');
    });
  }

  send(command: WorkerCommand, transfer: Transferable[] = []): void {
    if (this.#ready) this.worker.postMessage(command, transfer);
    else this.#queue.push({ command, transfer });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

interface ActiveRun {
  runId: string;
  worker: RuntimeWorker;
  python: boolean;
  graceTimer: ReturnType<typeof setTimeout> | null;
}

let active: ActiveRun | null = null;
let pythonWorker: RuntimeWorker | null = null;
/** Shared with the Python worker; null when this frame is not cross-origin isolated (then Stop terminates). */
let interruptBuffer: Int32Array | null = null;

function endActive(outcome: 'error' | 'interrupted', exitCode: number, note?: string): void {
  if (active === null) return;
  const { runId, worker, python } = active;
  if (note !== undefined) postToPage({ type: 'output', runId, stream: 'system', text: `${note}\n` });
  worker.terminate();
  if (python) {
    pythonWorker = null;
    postToPage({ type: 'python', state: 'loading', detail: 'Python will be reloaded for the next run.' });
  }
  finishActive();
  postToPage({ type: 'done', runId, outcome, exitCode });
}

function finishActive(): void {
  if (active?.graceTimer) clearTimeout(active.graceTimer);
  if (active !== null && !active.python) active.worker.terminate();
  active = null;
}

function onRuntimeMessage(from: RuntimeWorker, message: RuntimeMessage): void {
  if (message.type === 'python') {
    if (from === pythonWorker) postToPage(message);
    return;
  }
  if (
    message.type === 'ready' ||
    active === null ||
    active.worker !== from ||
    message.runId !== active.runId
  ) {
    return;
  }
  if (message.type === 'done') finishActive();
  postToPage(message);
}

function createWorker(python: boolean): RuntimeWorker {
  const worker: RuntimeWorker = new RuntimeWorker(
    python,
    (message) => onRuntimeMessage(worker, message),
    (detail) => {
      if (active?.worker === worker) endActive('error', 1, `The code runner stopped: ${detail}`);
      else if (python && worker === pythonWorker) {
        pythonWorker = null;
        postToPage({ type: 'python', state: 'failed', detail: `Python could not be loaded: ${detail}` });
      }
    },
  );
  return worker;
}

function ensurePythonWorker(): RuntimeWorker {
  if (pythonWorker !== null) return pythonWorker;
  if (self.crossOriginIsolated && interruptBuffer === null) {
    interruptBuffer = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  }
  // A Stop that came too late for the previous worker must not interrupt the next one's start-up.
  if (interruptBuffer !== null) Atomics.store(interruptBuffer, 0, 0);
  pythonWorker = createWorker(true);
  pythonWorker.send({ type: 'python-init', interruptBuffer });
  sendSnapshot(pythonWorker);
  return pythonWorker;
}

/**
 * Downloads Python's memory snapshot here and hands it to the worker (transferred, not copied). Reading a
 * 31 MB body takes the reading thread's time in many small tasks; here it overlaps with the worker's
 * compilation and start of Pyodide instead of delaying them. A failed download hands over null.
 */
function sendSnapshot(worker: RuntimeWorker): void {
  fetch(SNAPSHOT_URL)
    .then((response) => (response.ok ? response.arrayBuffer() : null))
    .catch(() => null)
    .then((snapshot) => {
      if (snapshot === null) worker.send({ type: 'python-snapshot', snapshot: null });
      else worker.send({ type: 'python-snapshot', snapshot }, [snapshot]);
    });
}

function startRun(request: RunRequest): void {
  // The page runs one program at a time; a new request ends anything still running here.
  if (active !== null) endActive('interrupted', 130);
  const python = request.language === 'python';
  const worker = python ? ensurePythonWorker() : createWorker(false);
  if (python && interruptBuffer !== null) Atomics.store(interruptBuffer, 0, 0);
  active = { runId: request.runId, worker, python, graceTimer: null };
  worker.send(request);
}

function stopRun(runId: string): void {
  if (active === null || active.runId !== runId) return;
  if (!active.python || interruptBuffer === null) {
    endActive('interrupted', 130);
    return;
  }
  // KeyboardInterrupt first; code blocked outside the interpreter never sees it, so terminate after a grace.
  Atomics.store(interruptBuffer, 0, SIGINT);
  active.graceTimer ??= setTimeout(
    () => endActive('interrupted', 130, 'Python did not stop in time; its worker was terminated.'),
    LIMIT_DEFAULTS.RUN_STOP_GRACE_MS,
  );
}

function handleHostMessage(message: HostMessage): void {
  if (message.type === 'run') startRun(message);
  else if (message.type === 'stop') stopRun(message.runId);
  else ensurePythonWorker();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.source !== parent || event.origin !== APP_ORIGIN) return;
  const message = parseHostMessage(event.data);
  if (message !== null) handleHostMessage(message);
});
postToPage({ type: 'ready' });
if (location.hash === PYTHON_FRAME_HINT) ensurePythonWorker();
