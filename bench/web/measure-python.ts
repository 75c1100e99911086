/**
 * Python readiness: a Python session opens cold and Run is pressed as soon as the editor is editable and
 * the button can be pressed; the time from navigation to the run's end is when Python was ready (an upper
 * bound). Second runs then measure the overhead of running once Python is loaded. Run and its end are both
 * timed inside the page (click to the panel showing the run ended), so the driver's own round trips and
 * polling, tens of milliseconds, are not counted as the page's. The run frame's worker marks its load of
 * Python (client/src/run/runtime/python-runner.ts): from those, the load alone and `loadPyodide` alone.
 */
import type { Browser, Page, Worker } from 'playwright-core';
import { PYTHON_LOAD_MARKS } from '../../client/src/run/runtime/python-load-marks.js';
import { sharePath } from '../../shared/session-id.js';
import { Samples } from '../lib/stats.js';
import {
  editableAt,
  pressRunAndWaitForEnd,
  type RunTiming,
  runButtonEnabled,
  shownRun,
} from './page-scripts.js';

export interface PythonResult {
  /** ms from navigation start to the first run's successful end. */
  firstRunDoneMs: number;
  /** ms from pressing Run to the panel showing the end, for runs after the first. */
  nextRunMs: Samples;
  /** The worker's own timings of the load; null for a build that does not mark them. */
  load: PythonLoadTiming | null;
}

export interface PythonLoadTiming {
  /** ms from navigation start to the worker starting to load Python. */
  startedAtMs: number;
  /** ms from the start of the load to Python ready to run (import, `loadPyodide`, support code). */
  loadMs: number;
  /** ms of `loadPyodide` alone (fetches, compilation, the interpreter's start or restore). */
  loadPyodideMs: number;
}

const PYTHON_TIMEOUT_MS = 120_000;

export async function measurePython(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
  nextRuns: number,
): Promise<PythonResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const workers: Worker[] = [];
    page.on('worker', (worker) => workers.push(worker));
    await page.goto(`${baseUrl}${sharePath(sessionId)}`);
    await page.waitForFunction(editableAt, undefined, { polling: 'raf', timeout: 60_000 });
    await page.waitForFunction(runButtonEnabled, undefined, { polling: 'raf', timeout: 60_000 });
    const first = await runOnce(page);
    const nextRunMs = new Samples();
    for (let i = 0; i < nextRuns; i++) {
      const run = await runOnce(page);
      nextRunMs.add(run.endedAt - run.pressedAt);
    }
    const load = await readLoadTiming(page, workers);
    return { firstRunDoneMs: first.endedAt, nextRunMs, load };
  } finally {
    await context.close();
  }
}

/** The marks of the worker that loaded Python (the run frame's workers are the page's workers too). */
async function readLoadTiming(page: Page, workers: readonly Worker[]): Promise<PythonLoadTiming | null> {
  const navigationOrigin = await page.evaluate(() => performance.timeOrigin);
  for (const worker of workers) {
    const marks = await worker
      .evaluate(
        (names) => ({
          origin: performance.timeOrigin,
          at: names.map((name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null),
        }),
        [
          PYTHON_LOAD_MARKS.start,
          PYTHON_LOAD_MARKS.imported,
          PYTHON_LOAD_MARKS.started,
          PYTHON_LOAD_MARKS.ready,
        ],
      )
      .catch(() => null);
    const [start, imported, started, ready] = marks?.at ?? [];
    if (marks == null || start == null || imported == null || started == null || ready == null) continue;
    return {
      startedAtMs: marks.origin - navigationOrigin + start,
      loadMs: ready - start,
      loadPyodideMs: started - imported,
    };
  }
  return null;
}

async function runOnce(page: Page): Promise<RunTiming> {
  const before = await page.evaluate(shownRun);
  const run = await Promise.race([
    page.evaluate(pressRunAndWaitForEnd, before.id),
    page.waitForTimeout(PYTHON_TIMEOUT_MS).then(() => null),
  ]);
  if (run === null) throw new Error(`the Python run did not end within ${PYTHON_TIMEOUT_MS} ms`);
  if (run.status !== 'ok') {
    const output = await page.locator('run-panel pre.output').textContent();
    throw new Error(`the Python run ended with status "${run.status}": ${output ?? ''}`);
  }
  return run;
}
