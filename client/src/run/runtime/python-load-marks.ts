/**
 * Performance marks the Python worker sets while it loads Python, in its own timeline: begun, Pyodide's
 * loader imported, `loadPyodide` done, ready to run. The page benchmark reads them from the worker.
 */
export const PYTHON_LOAD_MARKS = {
  start: 'python-load:start',
  imported: 'python-load:imported',
  started: 'python-load:started',
  ready: 'python-load:ready',
} as const;

/** A performance measure of the latest run, in the worker: from the run's request to its end. */
export const PYTHON_RUN_MEASURE = 'python-run';
