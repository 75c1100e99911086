/**
 * Python readiness: a Python session opens cold and Run is pressed as soon as the editor is editable; the
 * time from navigation to the run's output is when Python was ready (an upper bound). A second run then
 * measures the overhead of running once Python is loaded.
 */
import type { Browser, Page } from 'playwright-core';
import { sharePath } from '../../shared/session-id.js';
import { editableAt, runEndedAfter, shownRun } from './page-scripts.js';

export interface PythonResult {
  /** ms from navigation start to the first run's successful end. */
  firstRunDoneMs: number;
  /** ms from pressing Run to the end of a second run of the same program. */
  secondRunMs: number;
}

const PYTHON_TIMEOUT_MS = 120_000;

export async function measurePython(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
): Promise<PythonResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const navigated = performance.now();
    await page.goto(`${baseUrl}${sharePath(sessionId)}`);
    await page.waitForFunction(editableAt, undefined, { polling: 'raf', timeout: 60_000 });
    await runOnce(page);
    const firstRunDoneMs = performance.now() - navigated;
    const pressed = performance.now();
    await runOnce(page);
    return { firstRunDoneMs, secondRunMs: performance.now() - pressed };
  } finally {
    await context.close();
  }
}

async function runOnce(page: Page): Promise<void> {
  const before = await page.evaluate(shownRun);
  const run = page.locator('run-panel button.run');
  await run.click({ timeout: PYTHON_TIMEOUT_MS });
  await page.waitForFunction(runEndedAfter, before.id, { polling: 20, timeout: PYTHON_TIMEOUT_MS });
  const after = await page.evaluate(shownRun);
  if (after.status !== 'ok') {
    const output = await page.locator('run-panel pre.output').textContent();
    throw new Error(`the Python run ended with status "${after.status}": ${output ?? ''}`);
  }
}
