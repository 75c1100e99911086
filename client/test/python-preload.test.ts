/**
 * A Python session starts loading Python as soon as the page knows the session's language, which its REST
 * metadata usually tells before the document has synced. The socket is made to never hear from the server
 * here, so the language can only come from the metadata; the metadata's answer is held back until the
 * session page exists, so it is the page (not the app shell's early connection) that must act on it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharePath } from '../../shared/session-id.js';
import {
  BROWSER_TEST_TIMEOUT_MS,
  launchBrowser,
  newTrackedPage,
  type TrackedPage,
} from './support/browser.js';
import { createSession, type RunningServer, startServer } from './support/server.js';

let browser: Browser;
let server: RunningServer;
const pages: TrackedPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  for (const { context } of pages.splice(0)) await context.close();
});

describe('loading Python early', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('starts from the session metadata, before the document has synced', async () => {
    const { id } = await createSession(server.url, { language: 'python', content: 'print(1)\n' });
    const tracked = await newTrackedPage(browser);
    pages.push(tracked);
    const { context, page } = tracked;
    // A socket that opens but never hears from the server: the document never syncs.
    await context.routeWebSocket(/\/ws\//, () => undefined);
    let answerMetadata: () => void = () => undefined;
    const metadataHeld = new Promise<void>((resolve) => {
      answerMetadata = resolve;
    });
    await context.route(`**/api/sessions/${id}`, async (route) => {
      await metadataHeld;
      await route.continue();
    });
    const pythonRequests: string[] = [];
    await context.route('**/pyodide/**', async (route) => {
      pythonRequests.push(new URL(route.request().url()).pathname);
      await route.continue();
    });

    await page.goto(`${server.url}${sharePath(id)}`);
    await page.waitForFunction(() => document.querySelector('session-page')?.doc != null);
    expect(pythonRequests).toEqual([]);
    answerMetadata();

    await expect.poll(() => pythonRequests, { timeout: 30_000 }).toContain('/pyodide/python-snapshot.bin');
    expect(await page.evaluate(() => document.querySelector('session-page')?.synced)).toBe(false);
  });
});
