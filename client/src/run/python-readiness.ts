/**
 * Whether this page's Python has finished loading (ready, or failed). A Python session's editor waits for
 * it: Monaco's chunk takes seconds of compilation and evaluation, which on a busy machine compete with
 * Python's download, compilation and start, and the plain view of the code is editable meanwhile.
 * Reported by whoever hears the run frame (the early frame, then the run panel); it stays settled for the
 * page's lifetime, since the editor loads only once.
 */

let settled = false;
const waiting = new Set<() => void>();

/** The run frame said Python is ready or could not be loaded. */
export function pythonLoadSettled(): void {
  if (settled) return;
  settled = true;
  for (const callback of [...waiting]) callback();
  waiting.clear();
}

/**
 * Calls `callback` once, when Python's load settles or after `timeoutMs` (a load that never started or
 * takes too long must not keep the editor away), whichever comes first. Returns a function that cancels.
 */
export function whenPythonSettles(callback: () => void, timeoutMs: number): () => void {
  if (settled) {
    callback();
    return () => undefined;
  }
  const call = () => {
    cancel();
    callback();
  };
  const timer = setTimeout(call, timeoutMs);
  const cancel = () => {
    clearTimeout(timer);
    waiting.delete(call);
  };
  waiting.add(call);
  return cancel;
}
