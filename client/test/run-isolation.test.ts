/**
 * What people's code can reach: it runs in a worker of a sandboxed, opaque-origin frame, so the app page,
 * its storage, cookies, IndexedDB and credentialed API requests are all out of reach.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TrackedPage } from './support/browser.js';
import { appErrors, runCode } from './support/run-panel.js';
import { createSession, type RunningServer, startServer } from './support/server.js';
import { openSessionPage } from './support/session-page.js';

const ADA = { name: 'Ada', color: '#e5484d' };

let browser: Browser;
let server: RunningServer;
let tracked: TrackedPage;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
  const { id } = await createSession(server.url, { language: 'javascript' });
  tracked = await openSessionPage(browser, server.url, id, { user: ADA });
  // Something worth stealing, set by the app's origin.
  await tracked.page.evaluate(() => localStorage.setItem('secret', 'app-secret'));
  await tracked.context.addCookies([{ name: 'session', value: 'app-cookie', url: server.url }]);
});

afterAll(async () => {
  if (tracked) expect(appErrors(tracked.errors)).toEqual([]);
  await browser?.close();
  await server?.close();
});

/** A program that tries each way out and prints `name: blocked (…)` or `name: REACHED …`. */
function probeProgram(origin: string): string {
  return `
const probes = {
  'parent.document': () => globalThis.parent.document.title,
  'top.document': () => globalThis.top.document.title,
  localStorage: () => localStorage.getItem('secret'),
  'document.cookie': () => document.cookie,
  indexedDB: () => new Promise((resolve, reject) => {
    const request = indexedDB.open('probe');
    request.onsuccess = () => resolve('opened');
    request.onerror = () => reject(request.error);
  }),
  'fetch /api/sessions with credentials': async () => {
    const response = await fetch(${JSON.stringify(`${origin}/api/sessions`)}, { credentials: 'include' });
    return 'status ' + response.status + ' ' + (await response.text()).slice(0, 20);
  },
  'fetch elsewhere': async () => (await fetch('https://example.com/')).status,
};
for (const [name, probe] of Object.entries(probes)) {
  try {
    console.log(name + ': REACHED ' + String(await probe()));
  } catch (error) {
    console.log(name + ': blocked (' + (error && error.name) + ')');
  }
}
console.log('origin: ' + self.origin);
`;
}

describe('isolation of running code', () => {
  it('cannot read the page, localStorage, cookies, IndexedDB or make credentialed API requests', async () => {
    const output = await runCode(tracked.page, probeProgram(server.url), 'ok', 30_000);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(8);
    for (const line of lines.slice(0, 7)) expect(line).toMatch(/^[^:]+: blocked \(\w+\)$/);
    expect(lines[7]).toBe('origin: null');
    expect(output).not.toContain('app-secret');
    expect(output).not.toContain('app-cookie');
  });

  it('runs in a frame that is sandboxed without allow-same-origin', async () => {
    const frame = tracked.page.locator('run-panel iframe');
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    expect(await frame.getAttribute('src')).toBe('/sandbox.html');
  });

  it('cannot reach the app through the frame it runs in, even by posting messages itself', async () => {
    const code = `
postMessage({ type: 'done', runId: 'forged-run-id-000', outcome: 'ok', exitCode: 0 });
postMessage({ type: 'output', runId: 'forged-run-id-000', stream: 'stdout', text: 'forged' });
console.log('still running: ' + (typeof window) + ' ' + (typeof document));
`;
    const output = await runCode(tracked.page, code, 'ok', 30_000);
    expect(output).toBe('still running: undefined undefined\n');
  });
});
