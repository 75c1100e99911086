/**
 * Python starts from a memory snapshot made at build time. Two sessions restored from the same snapshot
 * must not share `random`'s state, and without the snapshot (its request aborted) Python still starts,
 * the normal way, and runs. Every request outside the server's origin is aborted here too.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharePath } from '../../shared/session-id.js';
import { launchBrowser, newTrackedPage, type TrackedPage } from './support/browser.js';
import { appErrors, pythonNotice, runCode } from './support/run-panel.js';
import { createSession, type RunningServer, startServer } from './support/server.js';
import { identityStorage, waitForEditable } from './support/session-page.js';

/** Loading Pyodide on a loaded two-core machine has been measured at up to ~50 s. */
const PYTHON_LOAD_MS = 150_000;
const SNAPSHOT_PATH = '/pyodide/python-snapshot.bin';
const DRAW = 'import random\nprint(random.getrandbits(64))\n';

let browser: Browser;
let server: RunningServer;
let sessionId: string;
const pages: Array<{ tracked: TrackedPage; blockSnapshot: boolean }> = [];
/** What the run frame's console says when the test aborts its download of the snapshot. */
const BLOCKED_SNAPSHOT_ERROR = /^console\.error: Failed to load resource: net::ERR_CONNECTION_RESET$/;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
  ({ id: sessionId } = await createSession(server.url, { language: 'python', content: 'print("hi")\n' }));
});

afterAll(async () => {
  for (const { tracked, blockSnapshot } of pages) {
    const errors = appErrors(tracked.errors);
    expect(blockSnapshot ? errors.filter((error) => !BLOCKED_SNAPSHOT_ERROR.test(error)) : errors).toEqual(
      [],
    );
  }
  await browser?.close();
  await server?.close();
});

/** Opens the Python session in a fresh context; `blockSnapshot` aborts the snapshot's request. */
async function openPythonSession(options: { blockSnapshot: boolean }) {
  const tracked = await newTrackedPage(browser, {
    localStorage: identityStorage({ name: 'Ada', color: '#e5484d' }),
  });
  pages.push({ tracked, blockSnapshot: options.blockSnapshot });
  const requested: string[] = [];
  const foreign: string[] = [];
  await tracked.context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== server.url) {
      foreign.push(url.href);
      await route.abort('internetdisconnected');
      return;
    }
    requested.push(url.pathname);
    if (options.blockSnapshot && url.pathname === SNAPSHOT_PATH) await route.abort('connectionreset');
    else await route.continue();
  });
  await tracked.page.goto(`${server.url}${sharePath(sessionId)}`);
  await waitForEditable(tracked.page);
  return { tracked, requested, foreign };
}

describe('Python start-up snapshot', () => {
  it(
    'gives two sessions restored from it different random numbers',
    async () => {
      const [first, second] = await Promise.all([
        openPythonSession({ blockSnapshot: false }),
        openPythonSession({ blockSnapshot: false }),
      ]);
      const draws: string[] = [];
      for (const { tracked, requested, foreign } of [first, second]) {
        draws.push(await runCode(tracked.page, DRAW, 'ok', PYTHON_LOAD_MS));
        expect(requested).toContain(SNAPSHOT_PATH);
        expect(await pythonNotice(tracked.page)).toMatch(/^Python 3\.\d+\.\d+ ready \([\d.]+ s\)$/);
        expect(foreign).toEqual([]);
      }
      expect(draws[0]).toMatch(/^\d+\n$/);
      expect(draws[1]).toMatch(/^\d+\n$/);
      expect(draws[0]).not.toBe(draws[1]);
    },
    PYTHON_LOAD_MS * 2,
  );

  it(
    'starts Python the normal way when the snapshot cannot be loaded',
    async () => {
      const { tracked, requested, foreign } = await openPythonSession({ blockSnapshot: true });
      await expect
        .poll(() => pythonNotice(tracked.page), { timeout: PYTHON_LOAD_MS, interval: 200 })
        .toMatch(/^Python 3\.\d+\.\d+ ready \([\d.]+ s, started without its snapshot\)$/);
      expect(requested).toContain(SNAPSHOT_PATH);
      expect(await runCode(tracked.page, 'print(sum(range(10)))\n')).toBe('45\n');
      expect(await runCode(tracked.page, DRAW)).toMatch(/^\d+\n$/);
      expect(foreign).toEqual([]);
    },
    PYTHON_LOAD_MS,
  );
});
