import { isLanguage, type Language } from '../../../shared/languages.js';
import { isRunStream, RUN_ID_PATTERN, type RunStream } from '../../../shared/run-record.js';

/**
 * Messages between the app page, the sandboxed run frame and the worker inside it. Everything that comes
 * back from the frame is untrusted: the worker runs people's code, which can call `postMessage` itself, so
 * every message is parsed here before anyone acts on it.
 */

/** How a run ended, as the runtime saw it (the page adds stop/timeout from its own side). */
export const RUN_OUTCOMES = { OK: 'ok', ERROR: 'error', INTERRUPTED: 'interrupted' } as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[keyof typeof RUN_OUTCOMES];

/**
 * The name the frame gives the worker it creates for Python: that worker starts loading Python as soon as
 * its module runs, without waiting for a message from the frame, whose thread (the app page's) is busy
 * while a session opens.
 */
export const PYTHON_WORKER_NAME = 'python';

/**
 * The fragment of the run frame's URL that has the frame start its Python worker at once, before the page
 * has sent it anything: a Python session's frame would otherwise wait for the page's busy thread to answer
 * its `ready`. A fragment, so the frame's page is the same cached response either way.
 */
export const PYTHON_FRAME_HINT = '#python';

/** The memory snapshot of a started Python the build makes (scripts/python-snapshot.ts). */
export const PYTHON_SNAPSHOT_PATH = '/pyodide/python-snapshot.bin';

export const PYTHON_STATES = { LOADING: 'loading', READY: 'ready', FAILED: 'failed' } as const;
export type PythonState = (typeof PYTHON_STATES)[keyof typeof PYTHON_STATES];

export interface RunRequest {
  type: 'run';
  runId: string;
  language: Language;
  code: string;
  stdin: string;
  /** The worker stops forwarding output a little past these; the page applies the exact caps. */
  maxOutputBytes: number;
  maxOutputLines: number;
}

/** Page → frame. */
export type HostMessage =
  | RunRequest
  | { type: 'stop'; runId: string }
  | { type: 'preload'; language: 'python' };

/** Frame → page, and worker → frame. */
export type RuntimeMessage =
  | { type: 'ready' }
  /** The program itself starts now (after Python has loaded or TypeScript was transpiled): the clock starts. */
  | { type: 'started'; runId: string }
  | { type: 'output'; runId: string; stream: RunStream; text: string }
  | { type: 'done'; runId: string; outcome: RunOutcome; exitCode: number }
  | { type: 'python'; state: PythonState; detail: string };

const OUTCOME_VALUES: readonly string[] = Object.values(RUN_OUTCOMES);
const PYTHON_STATE_VALUES: readonly string[] = Object.values(PYTHON_STATES);

/** Longest single output message accepted; the worker batches far below this. */
export const MAX_OUTPUT_MESSAGE_CHARS = 256 * 1024;
const MAX_DETAIL_CHARS = 1_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value);
}

export function parseRuntimeMessage(value: unknown): RuntimeMessage | null {
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'started':
      return isRunId(value.runId) ? { type: 'started', runId: value.runId } : null;
    case 'output': {
      const { runId, stream, text } = value;
      if (!isRunId(runId) || !isRunStream(stream) || typeof text !== 'string') return null;
      if (text.length > MAX_OUTPUT_MESSAGE_CHARS) return null;
      return { type: 'output', runId, stream, text };
    }
    case 'done': {
      const { runId, outcome, exitCode } = value;
      if (!isRunId(runId) || typeof outcome !== 'string' || !OUTCOME_VALUES.includes(outcome)) return null;
      if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) return null;
      return { type: 'done', runId, outcome: outcome as RunOutcome, exitCode };
    }
    case 'python': {
      const { state, detail } = value;
      if (typeof state !== 'string' || !PYTHON_STATE_VALUES.includes(state)) return null;
      if (typeof detail !== 'string' || detail.length > MAX_DETAIL_CHARS) return null;
      return { type: 'python', state: state as PythonState, detail };
    }
    default:
      return null;
  }
}

export function parseHostMessage(value: unknown): HostMessage | null {
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'run': {
      const { runId, language, code, stdin, maxOutputBytes, maxOutputLines } = value;
      if (!isRunId(runId) || !isLanguage(language) || typeof code !== 'string' || typeof stdin !== 'string') {
        return null;
      }
      if (typeof maxOutputBytes !== 'number' || typeof maxOutputLines !== 'number') return null;
      return { type: 'run', runId, language, code, stdin, maxOutputBytes, maxOutputLines };
    }
    case 'stop':
      return isRunId(value.runId) ? { type: 'stop', runId: value.runId } : null;
    case 'preload':
      return value.language === 'python' ? { type: 'preload', language: 'python' } : null;
    default:
      return null;
  }
}
