/**
 * Driving the run panel from tests: put code into the session, press Run or Stop, read what the panel
 * shows. Playwright's CSS selectors pierce the panel's shadow root.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** For `expect.poll`: what another tab or the sandbox does can take seconds on a busy two-core machine. */
export const POLL = { timeout: 20_000, interval: 100 } as const;

/** Replaces the session's code (through the shared document, as an edit from this page). */
export async function setCode(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => {
    const shared = document.querySelector('session-page')?.code;
    if (!shared) throw new Error('The session page has no shared code.');
    shared.doc?.transact(() => {
      shared.delete(0, shared.length);
      shared.insert(0, text);
    });
  }, code);
}

export async function setStdin(page: Page, text: string): Promise<void> {
  await page.locator('run-panel textarea.stdin').fill(text);
}

/** Sets the panel's time limit, in seconds, as a person would in its input. */
export async function setTimeLimit(page: Page, seconds: number): Promise<void> {
  await page.locator('run-panel .timeout input').fill(String(seconds));
  await page.locator('run-panel .timeout input').dispatchEvent('change');
}

export async function clickRun(page: Page): Promise<void> {
  await page.locator('run-panel button.run').click();
}

export async function clickStop(page: Page): Promise<void> {
  await page.locator('run-panel button.stop').click();
}

/** The status of the shown run (`running`, `ok`, `error`, `stopped`, `timeout`), or '' with no run. */
export function shownStatus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const status = document.querySelector('run-panel')?.shadowRoot?.querySelector('.run-header .status');
    return status ? ([...status.classList].find((name) => name !== 'status') ?? '') : '';
  });
}

/** The panel's Python notice: loading progress, the version once ready, or why it failed. */
export function pythonNotice(page: Page): Promise<string> {
  return page.evaluate(
    () => document.querySelector('run-panel')?.shadowRoot?.querySelector('.notice.python')?.textContent ?? '',
  );
}

/** What the output area shows, as text. */
export function outputText(page: Page): Promise<string> {
  return page.locator('run-panel pre.output').evaluate((element) => element.textContent ?? '');
}

/** The header of the shown run (who, language, time, how it ended). */
export function runHeaderText(page: Page): Promise<string> {
  return page.locator('run-panel .run-header').evaluate((element) => element.textContent ?? '');
}

/** Waits until the shown run has ended with `status`; `timeout` covers loading Python on a busy machine. */
export async function waitForRunEnd(page: Page, status: string, timeout = 120_000): Promise<void> {
  await expect.poll(() => shownStatus(page), { timeout, interval: 100 }).toBe(status);
}

/** The id of the run the panel shows, or '' with no run. */
export function shownRunId(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      document.querySelector('run-panel')?.shadowRoot?.querySelector<HTMLElement>('.run-header')?.dataset
        .runId ?? '',
  );
}

/** Presses Run and waits until the panel shows the new run. */
export async function startRun(page: Page, code: string): Promise<void> {
  await setCode(page, code);
  await expect.poll(() => page.locator('run-panel button.run').isEnabled(), POLL).toBe(true);
  const before = await shownRunId(page);
  await clickRun(page);
  await expect.poll(() => shownRunId(page), POLL).not.toBe(before);
}

/** Runs `code` and waits for the run to end with `status`; returns the output. */
export async function runCode(page: Page, code: string, status = 'ok', timeout?: number): Promise<string> {
  await startRun(page, code);
  await waitForRunEnd(page, status, timeout);
  return outputText(page);
}

/**
 * The sandboxed frame sees the test's storage init script and cannot read localStorage there; that error
 * comes from the test harness, not from the app.
 */
export function appErrors(errors: readonly string[]): string[] {
  return errors.filter((error) => !/lacks the 'allow-same-origin' flag/.test(error));
}
