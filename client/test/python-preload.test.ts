/**
 * A Python session starts loading Python as soon as the page knows the session's language, which its REST
 * metadata usually tells before the document has synced. The socket is made to never hear from the server
 * here, so the language can only come from the metadata; the metadata's answer is held back until the
 * session page exists, so it is the page (not the app shell's early connection) that must act on it.
 *
 * While Python loads, a Python session shows its code in the plain view, editable, and loads Monaco only
 * once Python is ready or has failed: both take seconds of CPU, and Python is what the first run waits for.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sharePath } from '../../shared/session-id.js';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { EDITOR_CHUNK_URL, plainInput, waitForPlainViewEditable } from './support/editor-chunk.js';
import { createSession } from './support/server.js';
import { waitForEditable } from './support/session-page.js';

/** Loading Pyodide on a loaded two-core machine has been measured at up to ~50 s. */
const PYTHON_LOAD_MS = 150_000;

function pythonNotice(page: Page): Promise<string> {
  return page.evaluate(
    () => document.querySelector('run-panel')?.shadowRoot?.querySelector('.notice.python')?.textContent ?? '',
  );
}

/** Records the requests for Monaco's chunk in `context` (and lets them through). */
async function recordEditorRequests(context: BrowserContext): Promise<string[]> {
  const requested: string[] = [];
  await context.route(EDITOR_CHUNK_URL, async (route) => {
    requested.push(route.request().url());
    await route.continue();
  });
  return requested;
}

const suite = useBrowserSuite();

describe('loading Python early', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('starts from the session metadata, before the document has synced', async () => {
    const { id } = await createSession(suite.server.url, { language: 'python', content: 'print(1)\n' });
    const { context, page } = await suite.newPage();
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

    await page.goto(`${suite.server.url}${sharePath(id)}`);
    await page.waitForFunction(() => document.querySelector('session-page')?.doc != null);
    expect(pythonRequests).toEqual([]);
    answerMetadata();

    await expect.poll(() => pythonRequests, { timeout: 30_000 }).toContain('/pyodide/python-snapshot.bin');
    expect(await page.evaluate(() => document.querySelector('session-page')?.synced)).toBe(false);
  });

  it(
    'keeps the code editable in the plain view and loads the editor once Python has loaded',
    async () => {
      const code = 'print(6 * 7)\n';
      const { id } = await createSession(suite.server.url, { language: 'python', content: code });
      const { context, page } = await suite.newPage();
      const editorRequests = await recordEditorRequests(context);
      // Python cannot finish loading until its loader is let through.
      let releaseLoader: () => void = () => undefined;
      const loaderHeld = new Promise<void>((resolve) => {
        releaseLoader = resolve;
      });
      let loaderRequested = false;
      await context.route('**/pyodide/pyodide.mjs', async (route) => {
        loaderRequested = true;
        await loaderHeld;
        await route.continue();
      });

      await page.goto(`${suite.server.url}${sharePath(id)}`);
      await waitForPlainViewEditable(page);
      await expect.poll(() => loaderRequested, { timeout: 30_000 }).toBe(true);
      expect(await plainInput(page).inputValue()).toBe(code);
      expect(editorRequests).toEqual([]);

      releaseLoader();
      await expect
        .poll(() => pythonNotice(page), { timeout: PYTHON_LOAD_MS })
        .toMatch(/^Python [\d.]+ ready/);
      await waitForEditable(page);
      expect(editorRequests).toHaveLength(1);
    },
    PYTHON_LOAD_MS + 60_000,
  );

  it('loads the editor when Python cannot be loaded', async () => {
    const { id } = await createSession(suite.server.url, { language: 'python', content: 'print(1)\n' });
    const { context, page } = await suite.newPage();
    await context.route('**/pyodide/pyodide.mjs', (route) => route.abort('failed'));

    await page.goto(`${suite.server.url}${sharePath(id)}`);
    await expect.poll(() => pythonNotice(page), { timeout: 60_000 }).toMatch(/^Python could not be loaded/);
    await waitForEditable(page);
  });
});
