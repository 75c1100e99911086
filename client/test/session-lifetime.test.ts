/**
 * The session page shows when an unused session will be deleted, and downloads the code as a file named
 * after the language.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TrackedPage } from './support/browser.js';
import { createSession, type RunningServer, startServer } from './support/server.js';
import { openSessionPage } from './support/session-page.js';

let browser: Browser;
let server: RunningServer;
const pages: TrackedPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer({ SESSION_TTL_MS: String(3 * 24 * 60 * 60 * 1000) });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  for (const { context } of pages.splice(0)) await context.close();
});

describe('session lifetime on the session page', () => {
  it('shows the expiry date and downloads the code named after the language', async () => {
    const { id } = await createSession(server.url, { language: 'python', content: 'print("saved")\n' });
    const tracked = await openSessionPage(browser, server.url, id);
    pages.push(tracked);
    const { page } = tracked;

    const expected = await page.evaluate(
      (ms) => new Date(Date.now() + ms).toLocaleDateString(undefined, { dateStyle: 'medium' }),
      3 * 24 * 60 * 60 * 1000,
    );
    await expect
      .poll(() => page.locator('session-lifetime .expiry').textContent())
      .toBe(`Expires ${expected} if unused`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('session-lifetime a', { hasText: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('code.py');
    expect(readFileSync(await download.path(), 'utf8')).toBe('print("saved")\n');
    expect(tracked.errors).toEqual([]);
  });
});
