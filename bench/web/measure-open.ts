/**
 * Opening a share link cold (fresh browser context, empty cache): the time until the synced code can be
 * typed into (in the plain view shown while Monaco loads, or in Monaco), the time until the Monaco editor
 * is ready, and the JavaScript and CSS (gzip bytes) fetched before the code was editable: the app page's
 * own, and apart from it what the sandboxed run frame fetched meanwhile (a Python session starts loading
 * Pyodide while the editor loads).
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Response } from 'playwright-core';
import { sharePath } from '../../shared/session-id.js';
import { Samples } from '../lib/stats.js';
import { codeEditableAt, editableAt } from './page-scripts.js';

export interface OpenResult {
  /** ms from navigation start to editable, synced code (plain view or editor). */
  editableMs: Samples;
  /** ms from navigation start to an editable, synced Monaco editor. */
  editorReadyMs: Samples;
  /** The app page's JS + CSS fetched before the code was editable, gzip size, from the first (cold) open. */
  jsCssGzipBytes: number;
  jsCssFiles: number;
  /** The same for the run frame and its workers (child frames of the page). */
  sandboxJsCssGzipBytes: number;
  /** The same for everything fetched by the time the page went quiet (workers and preloads included). */
  allJsCssGzipBytes: number;
}

const OPEN_TIMEOUT_MS = 60_000;

export async function measureOpen(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
  repeats: number,
): Promise<OpenResult> {
  const editableMs = new Samples();
  const editorReadyMs = new Samples();
  let bytes = { before: 0, files: 0, sandboxBefore: 0, all: 0 };
  for (let i = 0; i < repeats; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const fetched: Fetched[] = [];
    const page = await context.newPage();
    context.on('requestfinished', (request) => {
      const at = performance.now();
      // Requests of the run frame's workers are attributed to the frame.
      const sandbox = request.frame() !== page.mainFrame();
      void request.response().then((response) => {
        if (response) fetched.push({ at, response, sandbox });
      });
    });
    await page.goto(`${baseUrl}${sharePath(sessionId)}`);
    const handle = await page.waitForFunction(codeEditableAt, undefined, {
      polling: 'raf',
      timeout: OPEN_TIMEOUT_MS,
    });
    const editableSeenAt = performance.now();
    editableMs.add((await handle.jsonValue()) as number);
    const editorHandle = await page.waitForFunction(editableAt, undefined, {
      polling: 'raf',
      timeout: OPEN_TIMEOUT_MS,
    });
    editorReadyMs.add((await editorHandle.jsonValue()) as number);
    if (i === 0) {
      // Let background loads (workers, preloads) finish so "all" covers them too.
      await page.waitForLoadState('networkidle');
      bytes = await gzipTotals(fetched, editableSeenAt);
    }
    await context.close();
  }
  return {
    editableMs,
    editorReadyMs,
    jsCssGzipBytes: bytes.before,
    jsCssFiles: bytes.files,
    sandboxJsCssGzipBytes: bytes.sandboxBefore,
    allJsCssGzipBytes: bytes.all,
  };
}

interface Fetched {
  at: number;
  response: Response;
  sandbox: boolean;
}

async function gzipTotals(
  fetched: readonly Fetched[],
  editableAt: number,
): Promise<{ before: number; files: number; sandboxBefore: number; all: number }> {
  let before = 0;
  let files = 0;
  let sandboxBefore = 0;
  let all = 0;
  for (const { at, response, sandbox } of fetched) {
    if (!isJsOrCss(response)) continue;
    const size = gzipSync(await response.body()).byteLength;
    all += size;
    if (at > editableAt) continue;
    if (sandbox) sandboxBefore += size;
    else {
      before += size;
      files++;
    }
  }
  return { before, files, sandboxBefore, all };
}

function isJsOrCss(response: Response): boolean {
  const type = response.headers()['content-type'] ?? '';
  const path = new URL(response.url()).pathname;
  return /javascript|text\/css/.test(type) || /\.(m?js|css)$/.test(path);
}
