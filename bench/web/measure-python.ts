/**
 * Python readiness: a Python session opens cold (several times, each in a fresh context) and Run is pressed
 * as soon as the code is editable and the button can be pressed; the time from navigation to the run's end
 * is when Python was ready (an upper bound). Second runs then measure the overhead of running once Python is loaded. Run and its end are both
 * timed inside the page (click to the panel showing the run ended), so the driver's own round trips and
 * polling, tens of milliseconds, are not counted as the page's. The run frame's worker marks its load of
 * Python (client/src/run/runtime/python-runner.ts): from those, the load alone and `loadPyodide` alone.
 */
import type { Browser, Page, Worker } from 'playwright-core';
import { PYTHON_LOAD_MARKS, PYTHON_RUN_MEASURE } from '../../client/src/run/runtime/python-load-marks.js';
import { sharePath } from '../../shared/session-id.js';
import { Samples } from '../lib/stats.js';
import {
  codeEditableAt,
  editableAt,
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
  /** ms of those runs spent in the worker (request received → run ended); empty for a build without it. */
  nextRunWorkerMs: Samples;
  /** The worker's own timings of the load, one sample per cold open; null for a build without the marks. */
  load: PythonLoadSamples | null;
  /** ms from navigation start to each step of a cold open (see PYTHON_MILESTONES), one sample per open. */
  milestones: Map<PythonMilestone, Samples>;
}

/** Steps of a cold open, in the order they usually happen; a step a build does not show is left out. */
export const PYTHON_MILESTONES = {
  metadata: 'the session metadata answered',
  frame: 'the run frame requested',
  worker: 'its worker starts loading Python',
  snapshotRequested: 'the snapshot requested',
  snapshotArrived: 'the snapshot arrived',
  wasmArrived: 'the WebAssembly module arrived',
  editable: 'the code editable (plain view or editor)',
  pyodideStarted: '`loadPyodide` done (snapshot restored)',
  ready: 'Python ready to run',
  firstRun: 'the first run finished',
  monaco: 'the Monaco editor ready',
} as const;

export type PythonMilestone = keyof typeof PYTHON_MILESTONES;

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

export interface PythonOptions {
  coldOpens: number;
  nextRuns: number;
  /**
   * Idle time between the first run and the later ones (a person reads the output before running again);
   * 0 runs them back to back.
   */
  pauseMs: number;
}

export async function measurePython(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
  { coldOpens, nextRuns, pauseMs }: PythonOptions,
): Promise<PythonResult> {
  const firstRunDoneMs = new Samples();
  const nextRunMs = new Samples();
  const nextRunWorkerMs = new Samples();
  const load: PythonLoadSamples = {
    startedAtMs: new Samples(),
    loadMs: new Samples(),
    loadPyodideMs: new Samples(),
  };
  const milestones = new Map<PythonMilestone, Samples>();
  const addMilestone = (name: PythonMilestone, at: number | null | undefined) => {
    if (at == null) return;
    const samples = milestones.get(name) ?? new Samples();
    milestones.set(name, samples);
    samples.add(at);
  };
  let marked = true;
  for (let open = 0; open < coldOpens; open++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const workers: Worker[] = [];
      page.on('worker', (worker) => workers.push(worker));
      await page.goto(`${baseUrl}${sharePath(sessionId)}`);
      const monacoReady = page
        .waitForFunction(editableAt, undefined, { polling: 'raf', timeout: 60_000 })
        .then((handle) => handle.jsonValue() as Promise<number>);
      const editable = await page.waitForFunction(codeEditableAt, undefined, {
        polling: 'raf',
        timeout: 60_000,
      });
      addMilestone('editable', (await editable.jsonValue()) as number);
      await page.waitForFunction(runButtonEnabled, undefined, { polling: 'raf', timeout: 60_000 });
      const firstRunEnd = (await runOnce(page)).endedAt;
      firstRunDoneMs.add(firstRunEnd);
      addMilestone('firstRun', firstRunEnd);
      addMilestone('monaco', await monacoReady);
      // Later runs once, in the last page: the runtime is the same in every one.
      if (open === coldOpens - 1) {
        if (pauseMs > 0) await page.waitForTimeout(pauseMs);
        for (let i = 0; i < nextRuns; i++) {
          const run = await runOnce(page);
          nextRunMs.add(run.endedAt - run.pressedAt);
          const inWorker = await readRunMeasure(workers);
          if (inWorker !== null) nextRunWorkerMs.add(inWorker);
        }
      }
      const timing = await readLoadTiming(page, workers);
      if (timing === null) marked = false;
      else {
        for (const key of Object.keys(load) as Array<keyof PythonLoadTiming>) load[key].add(timing[key]);
        for (const [name, at] of Object.entries(timing.milestones)) addMilestone(name as PythonMilestone, at);
      }
    } finally {
      await context.close();
    }
  }
  return { firstRunDoneMs, nextRunMs, nextRunWorkerMs, load: marked ? load : null, milestones };
}

/** The fields of a Resource Timing entry read here (the bench compiles without DOM types). */
interface ResourceEntry {
  name: string;
  startTime: number;
  responseEnd: number;
}

type Milestones = Partial<Record<PythonMilestone, number>>;

/** The marks of the worker that loaded Python (the run frame's workers are the page's workers too). */
async function readLoadTiming(
  page: Page,
  workers: readonly Worker[],
): Promise<(PythonLoadTiming & { milestones: Milestones }) | null> {
  // No named functions inside evaluated code: the bench's loader would wrap them in a helper the page lacks.
  const pageTimes = await page.evaluate(() => {
    const resources = performance.getEntriesByType('resource') as unknown as ResourceEntry[];
    return {
      origin: performance.timeOrigin,
      metadata: resources.find((entry) => entry.name.includes('/api/sessions/'))?.responseEnd ?? null,
      frame: resources.find((entry) => entry.name.includes('/sandbox.html'))?.startTime ?? null,
    };
  });
  const navigationOrigin = pageTimes.origin;
  // The snapshot is downloaded by the run frame in some builds, by its worker in others.
  let frameSnapshot: { requested: number; arrived: number } | null = null;
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const found = await frame
      .evaluate(() => {
        const resources = performance.getEntriesByType('resource') as unknown as ResourceEntry[];
        const entry = resources.find((resource) => resource.name.includes('python-snapshot.bin'));
        return entry === undefined
          ? null
          : {
              requested: performance.timeOrigin + entry.startTime,
              arrived: performance.timeOrigin + entry.responseEnd,
            };
      })
      .catch(() => null);
    if (found !== null) frameSnapshot = found;
  }
  for (const worker of workers) {
    const marks = await worker
      .evaluate(
        (names) => {
          const resources = performance.getEntriesByType('resource') as unknown as ResourceEntry[];
          const snapshot = resources.find((entry) => entry.name.includes('python-snapshot.bin'));
          const wasm = resources.find((entry) => entry.name.includes('pyodide.asm.wasm'));
          return {
            origin: performance.timeOrigin,
            at: names.map((name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null),
            snapshotRequested: snapshot?.startTime ?? null,
            snapshotArrived: snapshot?.responseEnd ?? null,
            wasmArrived: wasm?.responseEnd ?? null,
          };
        },
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
    const fromNavigation = (at: number | null) =>
      at === null ? undefined : marks.origin - navigationOrigin + at;
    const snapshot =
      frameSnapshot === null
        ? {
            requested: fromNavigation(marks.snapshotRequested),
            arrived: fromNavigation(marks.snapshotArrived),
          }
        : {
            requested: frameSnapshot.requested - navigationOrigin,
            arrived: frameSnapshot.arrived - navigationOrigin,
          };
    return {
      startedAtMs: marks.origin - navigationOrigin + start,
      loadMs: ready - start,
      loadPyodideMs: started - imported,
      milestones: {
        metadata: pageTimes.metadata ?? undefined,
        frame: pageTimes.frame ?? undefined,
        worker: fromNavigation(start),
        snapshotRequested: snapshot.requested,
        snapshotArrived: snapshot.arrived,
        wasmArrived: fromNavigation(marks.wasmArrived),
        pyodideStarted: fromNavigation(started),
        ready: fromNavigation(ready),
      },
    };
  }
  return null;
}

/** The worker's own measure of the latest run (it keeps only that one), or null in a build without it. */
async function readRunMeasure(workers: readonly Worker[]): Promise<number | null> {
  for (const worker of workers) {
    const duration = await worker
      .evaluate(
        (name) => performance.getEntriesByName(name, 'measure').at(-1)?.duration ?? null,
        PYTHON_RUN_MEASURE,
      )
      .catch(() => null);
    if (duration !== null) return duration;
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
