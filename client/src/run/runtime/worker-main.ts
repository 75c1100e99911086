import { PYTHON_WORKER_NAME, type RunRequest, type RuntimeMessage } from '../sandbox-protocol.js';

/**
 * Entry of the worker that runs people's code, inside the sandboxed frame. The frame creates it from a
 * classic blob: worker that imports this module (see sandbox-frame.ts for why). It says `ready`, then takes
 * run requests; each language's runtime is imported only when first needed, so a JavaScript session never
 * downloads Pyodide and a Python session never downloads the TypeScript transpiler.
 */

/** Frame → worker. The frame validated the page's request before passing it on. */
export type WorkerCommand =
  | RunRequest
  | { type: 'python-init'; interruptBuffer: Int32Array | null }
  /** The frame's download of Python's memory snapshot; null when it failed (Python then starts normally). */
  | { type: 'python-snapshot'; snapshot: ArrayBuffer | null };

const post = (message: RuntimeMessage) => self.postMessage(message);
/** Kept once imported: a Python worker serves many runs, and each should start without a detour. */
let pythonRunner: typeof import('./python-runner.js') | null = null;

/** A Python worker (see PYTHON_WORKER_NAME) loads Python as soon as it starts. */
async function preloadPython(): Promise<void> {
  pythonRunner ??= await import('./python-runner.js');
  // Failures are reported to the page by loadPython itself; the next run retries.
  await pythonRunner.loadPython(post).catch(() => undefined);
}

async function handle(command: WorkerCommand): Promise<void> {
  if (command.type === 'python-init') {
    // The frame's first message: it comes before any run, so every run sees the interrupt buffer.
    pythonRunner ??= await import('./python-runner.js');
    pythonRunner.useInterruptBuffer(command.interruptBuffer);
    return;
  }
  if (command.type === 'python-snapshot') {
    pythonRunner ??= await import('./python-runner.js');
    pythonRunner.receiveSnapshot(command.snapshot);
    return;
  }
  if (command.language === 'python') {
    pythonRunner ??= await import('./python-runner.js');
    await pythonRunner.runPython(command, post);
  } else {
    const { runJavaScript } = await import('./js-runner.js');
    await runJavaScript(command, post);
  }
}

// addEventListener rather than onmessage: a program may overwrite `onmessage`, which must not cut the frame off.
self.addEventListener('message', (event: MessageEvent<WorkerCommand>) => {
  void handle(event.data);
});
post({ type: 'ready' });
if (self.name === PYTHON_WORKER_NAME) void preloadPython();
