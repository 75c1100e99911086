/**
 * Python readiness: a Python session opens cold and Run is pressed as soon as the editor is editable and
 * the button can be pressed; the time from navigation to the run's end is when Python was ready (an upper
 * bound). Second runs then measure the overhead of running once Python is loaded. Run and its end are both
 * timed inside the page (click to the panel showing the run ended), so the driver's own round trips and
 * polling, tens of milliseconds, are not counted as the page's.
 */
import type { Browser, Page } from 'playwright-core';
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
    await page.goto(`${baseUrl}${sharePath(sessionId)}`);
    await page.waitForFunction(editableAt, undefined, { polling: 'raf', timeout: 60_000 });
    await page.waitForFunction(runButtonEnabled, undefined, { polling: 'raf', timeout: 60_000 });
    const first = await runOnce(page);
    const nextRunMs = new Samples();
    for (let i = 0; i < nextRuns; i++) {
      const run = await runOnce(page);
      nextRunMs.add(run.endedAt - run.pressedAt);
    }
    return { firstRunDoneMs: first.endedAt, nextRunMs };
  } finally {
    await context.close();
  }
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
