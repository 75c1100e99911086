/**
 * The session page shows when an unused session will be deleted, and downloads the code as a file named
 * after the language.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite.js';
import { createSession } from './support/server.js';
import { openSessionPage } from './support/session-page.js';

const SESSION_TTL_MS = 3 * 24 * 60 * 60 * 1000;
const suite = useBrowserSuite({ serverEnv: { SESSION_TTL_MS: String(SESSION_TTL_MS) } });

describe('session lifetime on the session page', () => {
  it('shows the expiry date and downloads the code named after the language', async () => {
    const { server } = suite;
    const { id } = await createSession(server.url, { language: 'python', content: 'print("saved")\n' });
    const tracked = await openSessionPage(suite.browser, server.url, id);
    suite.track(tracked);
    const { page } = tracked;

    const expected = await page.evaluate(
      (ms) => new Date(Date.now() + ms).toLocaleDateString(undefined, { dateStyle: 'medium' }),
      SESSION_TTL_MS,
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
