import { PYTHON_SNAPSHOT_PATH, type RunRequest, type RuntimeMessage } from '../sandbox-protocol.js';
import { OutputSink } from './output-sink.js';
import { PYTHON_LOAD_MARKS, PYTHON_RUN_MEASURE } from './python-load-marks.js';
import { INTERRUPTED_EXIT_CODE, PYTHON_SUPPORT_SOURCE } from './python-support.js';
import { StdinLines } from './stdin-lines.js';

/** The part of Pyodide's API used here (its own typings pull in Node's types, which the client avoids). */
interface Pyodide {
  version: string;
  runPython(code: string): unknown;
  setStdin(options: { stdin: () => string | null }): void;
  setInterruptBuffer(buffer: Int32Array): void;
  globals: { get(name: string): unknown };
}

type PadRun = (
  code: string,
  writeOut: (text: string) => void,
  writeErr: (text: string) => void,
) => Promise<number>;

interface PyodideModule {
  loadPyodide(options: {
    indexURL: string;
    /** A memory snapshot of a started interpreter (Pyodide marks the option internal). */
    _loadSnapshot?: Promise<ArrayBuffer>;
  }): Promise<Pyodide>;
}

/**
 * Pyodide from our own origin: the build copies the npm package's runtime files to /pyodide/. Resolved
 * against this module's URL (the worker itself lives at an opaque blob: URL); through a variable, because
 * Vite rewrites `new URL('literal', import.meta.url)` as an asset reference.
 */
const RUNTIME_MODULE_URL = import.meta.url;
const PYODIDE_INDEX_URL = new URL('/pyodide/', RUNTIME_MODULE_URL).href;
/** Made by the build (scripts/python-snapshot.ts); restoring it skips the interpreter's start-up. */
const SNAPSHOT_URL = new URL(PYTHON_SNAPSHOT_PATH, RUNTIME_MODULE_URL).href;

/**
 * The frame downloads the snapshot and hands it over (see sandbox-frame.ts), so that reading its 31 MB
 * does not hold up this thread while it compiles and starts Pyodide. Used by the first load only; a
 * retried load fetches it here.
 */
let resolveFrameSnapshot: (snapshot: ArrayBuffer | null) => void = () => undefined;
let frameSnapshot: Promise<ArrayBuffer | null> | null = new Promise((resolve) => {
  resolveFrameSnapshot = resolve;
});

/** The frame's download of the snapshot, or null when it failed. */
export function receiveSnapshot(snapshot: ArrayBuffer | null): void {
  resolveFrameSnapshot(snapshot);
}

let loading: Promise<{ pyodide: Pyodide; run: PadRun }> | null = null;
/** Set by the frame (it may arrive while Python loads); null when the frame is not cross-origin isolated. */
let interruptBuffer: Int32Array | null = null;
let loaded: Pyodide | null = null;
/** The stdin of the run in progress; Pyodide's stdin is set once, at load, and reads from here. */
let currentStdin = new StdinLines('');

/**
 * Loads Pyodide once per worker (single flight) and reports progress: bytes downloaded while its files
 * arrive, then the start-up. A failed load is reported and the next run tries again.
 */
export function loadPython(
  post: (message: RuntimeMessage) => void,
): Promise<{ pyodide: Pyodide; run: PadRun }> {
  loading ??= (async () => {
    const started = performance.now();
    post({ type: 'python', state: 'loading', detail: 'Loading Python…' });
    const restoreFetch = reportDownloadProgress((loaded) =>
      post({ type: 'python', state: 'loading', detail: `Loading Python… ${(loaded / 1e6).toFixed(1)} MB` }),
    );
    behaveAsModuleWorker();
    // Marks in this worker's timeline, read by the page benchmark (bench/web/measure-python.ts).
    performance.mark(PYTHON_LOAD_MARKS.start);
    try {
      // The largest download, which the interpreter cannot start without: the frame's, or requested first.
      const snapshot = frameSnapshot === null ? fetchSnapshot() : snapshotFrom(frameSnapshot);
      frameSnapshot = null;
      // Its failure is handled where it is awaited; this only keeps an early one from being reported unhandled.
      snapshot.catch(() => undefined);
      const module = (await import(/* @vite-ignore */ `${PYODIDE_INDEX_URL}pyodide.mjs`)) as PyodideModule;
      performance.mark(PYTHON_LOAD_MARKS.imported);
      const { pyodide, restored } = await startPyodide(module, snapshot);
      performance.mark(PYTHON_LOAD_MARKS.started);
      restoreFetch();
      loaded = pyodide;
      if (interruptBuffer !== null) pyodide.setInterruptBuffer(interruptBuffer);
      pyodide.setStdin({ stdin: () => currentStdin.next() });
      pyodide.runPython(PYTHON_SUPPORT_SOURCE);
      const run = pyodide.globals.get('_pad_run') as PadRun;
      performance.mark(PYTHON_LOAD_MARKS.ready);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      post({
        type: 'python',
        state: 'ready',
        detail: `Python ${pythonVersion(pyodide)} ready (${seconds} s${restored ? '' : ', started without its snapshot'})`,
      });
      return { pyodide, run };
    } catch (error) {
      restoreFetch();
      loading = null;
      post({
        type: 'python',
        state: 'failed',
        detail: `Python could not be loaded: ${String(error)}`.slice(0, 900),
      });
      throw error;
    }
  })();
  return loading;
}

async function snapshotFrom(handedOver: Promise<ArrayBuffer | null>): Promise<ArrayBuffer> {
  const snapshot = await handedOver;
  if (snapshot === null) throw new Error(`${SNAPSHOT_URL} could not be loaded`);
  return snapshot;
}

/** The build's snapshot, or a rejection (missing, or the request failed) that means a normal start. */
async function fetchSnapshot(): Promise<ArrayBuffer> {
  const response = await fetch(SNAPSHOT_URL);
  if (!response.ok) throw new Error(`${SNAPSHOT_URL} answered ${response.status}`);
  return response.arrayBuffer();
}

/**
 * Restores the snapshot; when there is none, or Pyodide refuses it (another build's, damaged), starts the
 * interpreter normally. The failed attempt's module is dropped; its files come from the HTTP cache.
 */
async function startPyodide(
  module: PyodideModule,
  snapshot: Promise<ArrayBuffer>,
): Promise<{ pyodide: Pyodide; restored: boolean }> {
  try {
    return {
      pyodide: await module.loadPyodide({ indexURL: PYODIDE_INDEX_URL, _loadSnapshot: snapshot }),
      restored: true,
    };
  } catch (error) {
    console.warn('Python starts without its snapshot:', error);
    return { pyodide: await module.loadPyodide({ indexURL: PYODIDE_INDEX_URL }), restored: false };
  }
}

/** The buffer through which the frame's Stop becomes a KeyboardInterrupt. */
export function useInterruptBuffer(buffer: Int32Array | null): void {
  interruptBuffer = buffer;
  if (buffer !== null) loaded?.setInterruptBuffer(buffer);
}

/**
 * This worker is a classic one (see sandbox-frame.ts) that loads everything with `import()`, as a module
 * worker would. Pyodide refuses classic workers, detecting them by whether `importScripts` works; make it
 * fail the way it does in a module worker. (Under the frame's CSP it already fails, as `data:` scripts are
 * not allowed; the development server sends no CSP.)
 */
function behaveAsModuleWorker(): void {
  (globalThis as { importScripts?: unknown }).importScripts = () => {
    throw new TypeError('importScripts() is not available: the runtime loads modules with import().');
  };
}

function pythonVersion(pyodide: Pyodide): string {
  const version = pyodide.runPython('import sys; sys.version.split()[0]');
  return typeof version === 'string' ? version : pyodide.version;
}

/**
 * Counts the bytes of responses while Pyodide downloads its files. The response is rebuilt around a
 * counting stream with the same status and headers, so WebAssembly streaming compilation still sees
 * `application/wasm`. Returns the function that puts the original `fetch` back.
 */
function reportDownloadProgress(onProgress: (loadedBytes: number) => void): () => void {
  const realFetch = globalThis.fetch;
  let loaded = 0;
  let lastReport = 0;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const response = await realFetch(...args);
    if (response.body === null) return response;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        if (loaded - lastReport > 256 * 1024) {
          lastReport = loaded;
          onProgress(loaded);
        }
        controller.enqueue(chunk);
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  };
  return () => {
    globalThis.fetch = realFetch;
  };
}

/** Runs one Python program; the interrupt buffer (set by the frame) turns Stop into KeyboardInterrupt. */
export async function runPython(request: RunRequest, post: (message: RuntimeMessage) => void): Promise<void> {
  const sink = new OutputSink(post, request.runId, request.maxOutputBytes, request.maxOutputLines);
  const requestedAt = performance.now();
  let exitCode = 1;
  try {
    const { run } = await loadPython(post);
    currentStdin = new StdinLines(request.stdin);
    post({ type: 'started', runId: request.runId });
    exitCode = await run(
      request.code,
      (text) => sink.write('stdout', text),
      (text) => sink.write('stderr', text),
    );
  } catch (error) {
    sink.write('stderr', `${String(error)}\n`);
  }
  const outcome = exitCode === 0 ? 'ok' : exitCode === INTERRUPTED_EXIT_CODE ? 'interrupted' : 'error';
  post({ type: 'done', runId: request.runId, outcome, exitCode });
  // Read by the page benchmark, which tells the run's time in Python from the messages' way there and back.
  // Only the latest is kept: a worker may serve thousands of runs.
  performance.clearMeasures(PYTHON_RUN_MEASURE);
  performance.measure(PYTHON_RUN_MEASURE, { start: requestedAt });
}
