/**
 * Python readiness: a Python session opens cold (several times, each in a fresh context) and Run is pressed
 * as soon as the code is editable and the button can be pressed; the time from navigation to the run's end
 * is when Python was ready (an upper bound). Second runs then measure the overhead of running once Python is loaded. Run and its end are both
 * timed inside the page (click to the panel showing the run ended), so the driver's own round trips and
 * polling, tens of milliseconds, are not counted as the page's. The run frame's worker marks its load of
 * Python (client/src/run/runtime/python-runner.ts): from those, the load alone and `loadPyodide` alone.
 */
import type { Browser, Page, Worker } from 'playwright-core';
import { PYTHON_LOAD_MARKS } from '../../client/src/run/runtime/python-load-marks.js';
import { sharePath } from '../../shared/session-id.js';
import { Samples } from '../lib/stats.js';
import {
  codeEditableAt,
  pressRunAndWaitForEnd,
  type RunTiming,
  runButtonEnabled,
  shownRun,
} from './page-scripts.js';

export interface PythonResult {
  /** ms from navigation start to the first run's successful end, one sample per cold open. */
  firstRunDoneMs: Samples;
  /** ms from pressing Run to the panel showing the end, for runs after the first. */
  nextRunMs: Samples;
  /** The worker's own timings of the load, one sample per cold open; null for a build without the marks. */
  load: PythonLoadSamples | null;
}

export interface PythonLoadTiming {
  /** ms from navigation start to the worker starting to load Python. */
  startedAtMs: number;
  /** ms from the start of the load to Python ready to run (import, `loadPyodide`, support code). */
  loadMs: number;
  /** ms of `loadPyodide` alone (fetches, compilation, the interpreter's start or restore). */
  loadPyodideMs: number;
}

export type PythonLoadSamples = { [Key in keyof PythonLoadTiming]: Samples };

const PYTHON_TIMEOUT_MS = 120_000;

export async function measurePython(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
  coldOpens: number,
  nextRuns: number,
): Promise<PythonResult> {
  const firstRunDoneMs = new Samples();
  const nextRunMs = new Samples();
  const load: PythonLoadSamples = {
    startedAtMs: new Samples(),
    loadMs: new Samples(),
    loadPyodideMs: new Samples(),
  };
  let marked = true;
  for (let open = 0; open < coldOpens; open++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const workers: Worker[] = [];
      page.on('worker', (worker) => workers.push(worker));
      await page.goto(`${baseUrl}${sharePath(sessionId)}`);
      await page.waitForFunction(codeEditableAt, undefined, { polling: 'raf', timeout: 60_000 });
      await page.waitForFunction(runButtonEnabled, undefined, { polling: 'raf', timeout: 60_000 });
      firstRunDoneMs.add((await runOnce(page)).endedAt);
      // Later runs once, in the last page: the runtime is the same in every one.
      if (open === coldOpens - 1) {
        for (let i = 0; i < nextRuns; i++) {
          const run = await runOnce(page);
          nextRunMs.add(run.endedAt - run.pressedAt);
        }
      }
      const timing = await readLoadTiming(page, workers);
      if (timing === null) marked = false;
      else for (const key of Object.keys(load) as Array<keyof PythonLoadTiming>) load[key].add(timing[key]);
    } finally {
      await context.close();
    }
  }
  return { firstRunDoneMs, nextRunMs, load: marked ? load : null };
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
