/**
 * A Python session starts loading Python as soon as the page knows the session's language, which its REST
 * metadata usually tells before the document has synced. The socket is made to never hear from the server
 * here, so the language can only come from the metadata; the metadata's answer is held back until the
 * session page exists, so it is the page (not the app shell's early connection) that must act on it.
 */
import { describe, expect, it } from 'vitest';
import { sharePath } from '../../shared/session-id.js';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { createSession } from './support/server.js';

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
});
