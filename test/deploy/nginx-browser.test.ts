/**
 * The app in Chromium through nginx, as people use a self-hosted install: nginx serves the production
 * build and proxies the API and WebSockets to the real server.
 */
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TrackedPage } from '../../client/test/support/browser.js';
import {
  CLIENT_BUILD_DIR,
  createSession,
  type RunningServer,
  startServer,
} from '../../client/test/support/server.js';
import {
  editorValue,
  expectEditorValue,
  openSessionPage,
  typeAtEnd,
} from '../../client/test/support/session-page.js';
import { type NginxInstance, startNginx } from './support/nginx.js';

/** Each test opens two Monaco pages; on a loaded two-core machine that alone has taken 40 s. */
const BROWSER_TEST_MS = 180_000;

const ADA = { name: 'Ada', color: '#e5484d' };
const BOB = { name: 'Bob', color: '#0090ff' };

let browser: Browser;
let server: RunningServer;
let nginx: NginxInstance;
let staticRoot: string;
const pages: TrackedPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer({ TRUST_PROXY: '127.0.0.1' });
  // A copy of the build, as a deployment has: a rebuild of dist/client meanwhile cannot pull files away.
  staticRoot = await mkdtemp(join(tmpdir(), 'code-collab-static-'));
  await cp(CLIENT_BUILD_DIR, staticRoot, { recursive: true });
  await chmod(staticRoot, 0o755);
  nginx = await startNginx({
    upstream: new URL(server.url).host,
    staticRoot,
    // A reload's old worker lets go of its WebSockets after a second instead of thirty.
    edits: [{ file: 'nginx.conf', from: 'worker_shutdown_timeout 30s;', to: 'worker_shutdown_timeout 1s;' }],
  });
});

afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await server?.close();
  if (staticRoot !== undefined) await rm(staticRoot, { recursive: true, force: true });
});

afterEach(async () => {
  for (const { context } of pages.splice(0)) await context.close();
});

const POLL_30S = { timeout: 30_000 } as const;

async function openTwo(content: string) {
  const { id } = await createSession(nginx.url, { language: 'javascript', content });
  const a = await openSessionPage(browser, nginx.url, id, { user: ADA });
  const b = await openSessionPage(browser, nginx.url, id, { user: BOB });
  pages.push(a, b);
  return { id, a, b };
}

describe('the app through nginx', () => {
  it('syncs two pages, under nginx headers, with no console errors or policy violations', {
    timeout: BROWSER_TEST_MS,
  }, async () => {
    const { a, b } = await openTwo('const answer = 42;\n');
    await typeAtEnd(a.page, 'console.log(answer);');
    const typed = await editorValue(a.page);
    expect(typed.startsWith('const answer = 42;\nconsole.log(answer')).toBe(true);
    await expectEditorValue(b.page, typed);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('is cross-origin isolated, so Python can be interrupted', { timeout: BROWSER_TEST_MS }, async () => {
    const { a } = await openTwo('');
    expect(await a.page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await a.page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  });

  it('reconnects both pages after nginx -s reload and loses nothing typed around it', {
    timeout: BROWSER_TEST_MS,
  }, async () => {
    const { a, b } = await openTwo('before\n');
    const oldWorkers = await nginx.workerPids();
    await nginx.reload();
    // Typed while the old worker still carries the sockets, then while they are dropped and re-made.
    await typeAtEnd(a.page, 'a1 ');
    // Each page types at the end once it has the other's words: two people typing at the very same spot
    // at once may interleave their letters, which is correct but not what this test is about.
    await expect.poll(() => editorValue(b.page), POLL_30S).toContain('a1 ');
    await typeAtEnd(b.page, 'b1 ');
    await expect
      .poll(async () => (await nginx.workerPids()).some((pid) => oldWorkers.includes(pid)), {
        timeout: 30_000,
      })
      .toBe(false);
    // Every old connection is gone with its worker: from here on, only reconnected sockets carry edits.
    await typeAtEnd(a.page, 'a2 ');
    await expect.poll(() => editorValue(b.page), POLL_30S).toContain('a2 ');
    await typeAtEnd(b.page, 'b2 ');
    await expect
      .poll(async () => (await editorValue(a.page)) === (await editorValue(b.page)), { timeout: 30_000 })
      .toBe(true);
    const text = await editorValue(a.page);
    for (const word of ['before', 'a1', 'b1', 'a2', 'b2']) expect(text).toContain(word);
    expect(a.errors.filter((line) => !line.includes('WebSocket'))).toEqual([]);
  });
});
