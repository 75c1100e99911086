/**
 * Python takes seconds to load, so a Python session starts loading it as soon as the app shell knows the
 * session's language, while the editor itself is still loading. The (hidden) sandboxed frame is created
 * here at the end of the document's body and stays there: moving an iframe in the document reloads it, and
 * Python with it. The run panel's controller adopts it with the latest loading state. Nothing is loaded for
 * other languages.
 */

import { pythonLoadSettled } from './python-readiness.js';
import { SandboxHost } from './sandbox-host.js';
import type { PythonState } from './sandbox-protocol.js';

export interface EarlyPython {
  host: SandboxHost;
  /** The last loading state the frame reported (loading, until its first report). */
  status: { state: PythonState; detail: string };
}

let waiting: EarlyPython | null = null;

/** Creates the run frame and has it load Python (once per page). */
export function preloadPythonEarly(): void {
  if (waiting !== null) return;
  const host = new SandboxHost(document.body, { startPython: true });
  const early: EarlyPython = { host, status: { state: 'loading', detail: 'Loading Python…' } };
  host.listen((message) => {
    if (message.type !== 'python') return;
    early.status = { state: message.state, detail: message.detail };
    if (message.state !== 'loading') pythonLoadSettled();
  });
  host.send({ type: 'preload', language: 'python' });
  waiting = early;
}

/** Hands the early frame to the run panel, which owns it from now on; null when there is none. */
export function adoptEarlyPython(): EarlyPython | null {
  const early = waiting;
  waiting = null;
  return early;
}
