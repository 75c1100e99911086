/**
 * Python through nginx: Pyodide's files come from nginx (WebAssembly type, CORS and CORP for the sandboxed
 * frame's opaque origin), and the interrupt works because nginx's headers make the page and the frame
 * cross-origin isolated.
 */
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newTrackedPage, type TrackedPage } from '../../client/test/support/browser.js';
import {
  appErrors,
  clickStop,
  outputText,
  runCode,
  shownStatus,
  startRun,
  waitForRunEnd,
} from '../../client/test/support/run-panel.js';
import {
  CLIENT_BUILD_DIR,
  createSession,
  type RunningServer,
  startServer,
} from '../../client/test/support/server.js';
import { gotoSession, identityStorage } from '../../client/test/support/session-page.js';
import { type NginxInstance, startNginx } from './support/nginx.js';

/** Loading Pyodide on a loaded two-core machine has been measured at up to ~50 s. */
const PYTHON_LOAD_MS = 150_000;

let browser: Browser;
let server: RunningServer;
let nginx: NginxInstance;
let staticRoot: string;
let tracked: TrackedPage;
const foreignRequests: string[] = [];
const pyodideResponses = new Map<string, { status: number; headers: Record<string, string> }>();

beforeAll(async () => {
  if (!existsSync(join(CLIENT_BUILD_DIR, 'pyodide', 'pyodide.asm.wasm'))) {
    throw new Error(
      `${CLIENT_BUILD_DIR}pyodide/ is missing: the client build did not copy Pyodide's runtime`,
    );
  }
  browser = await launchBrowser();
  server = await startServer({ TRUST_PROXY: '127.0.0.1' });
  // A copy of the build, as a deployment has: a rebuild of dist/client meanwhile cannot pull files away.
  staticRoot = await mkdtemp(join(tmpdir(), 'code-collab-static-'));
  await cp(CLIENT_BUILD_DIR, staticRoot, { recursive: true });
  await chmod(staticRoot, 0o755);
  nginx = await startNginx({ upstream: new URL(server.url).host, staticRoot });

  const { id } = await createSession(nginx.url, { language: 'python', content: 'print("hello")\n' });
  tracked = await newTrackedPage(browser, {
    localStorage: identityStorage({ name: 'Ada', color: '#e5484d' }),
  });
  // Everything must come from nginx's origin; routes cover the page, the sandboxed frame and its workers.
  // They are in place before the page loads: a Python session starts loading Pyodide while it opens.
  await tracked.context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== nginx.url) {
      foreignRequests.push(url);
      await route.abort('internetdisconnected');
      return;
    }
    await route.continue();
  });
  tracked.context.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith('/pyodide/')) {
      pyodideResponses.set(pathname, { status: response.status(), headers: response.headers() });
    }
  });
  await gotoSession(tracked, nginx.url, id);
}, PYTHON_LOAD_MS);

afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await server?.close();
  if (staticRoot !== undefined) await rm(staticRoot, { recursive: true, force: true });
});

describe('Python through nginx', () => {
  it(
    'runs with Pyodide served by nginx and nothing fetched from elsewhere',
    async () => {
      const output = await runCode(
        tracked.page,
        'import sys\nprint("hi from", sys.version_info.major)\n',
        'ok',
        PYTHON_LOAD_MS,
      );
      expect(output).toBe('hi from 3\n');
      expect(foreignRequests).toEqual([]);
      const wasm = pyodideResponses.get('/pyodide/pyodide.asm.wasm');
      expect(wasm?.status).toBe(200);
      expect(wasm?.headers['content-type']).toBe('application/wasm');
      expect(wasm?.headers['cross-origin-resource-policy']).toBe('cross-origin');
    },
    PYTHON_LOAD_MS,
  );

  it('interrupts an endless loop on Stop, which needs cross-origin isolation', {
    timeout: PYTHON_LOAD_MS,
  }, async () => {
    const { page } = tracked;
    await startRun(page, 'print("looping")\nwhile True:\n    pass\n');
    await expect.poll(() => outputText(page), { timeout: PYTHON_LOAD_MS }).toContain('looping');
    expect(await shownStatus(page)).toBe('running');
    await clickStop(page);
    await waitForRunEnd(page, 'stopped', 30_000);
    expect(await outputText(page)).toContain('KeyboardInterrupt');
    expect(await runCode(page, 'print(6 * 7)')).toBe('42\n');
    expect(appErrors(tracked.errors)).toEqual([]);
  });
});
