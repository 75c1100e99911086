/**
 * Opening a share link cold (fresh browser context, empty cache): the time until the editor holds the
 * synced document and accepts typing, and the JavaScript and CSS (gzip bytes) fetched before that moment.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Response } from 'playwright-core';
import { sharePath } from '../../shared/session-id.js';
import { Samples } from '../lib/stats.js';
import { editableAt } from './page-scripts.js';

export interface OpenResult {
  /** ms from navigation start to an editable, synced editor. */
  editableMs: Samples;
  /** JS + CSS fetched before the editor was editable, gzip-compressed size, from the first (cold) open. */
  jsCssGzipBytes: number;
  jsCssFiles: number;
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
  let bytes = { before: 0, files: 0, all: 0 };
  for (let i = 0; i < repeats; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const fetched: { at: number; response: Response }[] = [];
    context.on('requestfinished', (request) => {
      const at = performance.now();
      void request.response().then((response) => {
        if (response) fetched.push({ at, response });
      });
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}${sharePath(sessionId)}`);
    const handle = await page.waitForFunction(editableAt, undefined, {
      polling: 'raf',
      timeout: OPEN_TIMEOUT_MS,
    });
    const editableSeenAt = performance.now();
    editableMs.add((await handle.jsonValue()) as number);
    if (i === 0) {
      // Let background loads (workers, preloads) finish so "all" covers them too.
      await page.waitForLoadState('networkidle');
      bytes = await gzipTotals(fetched, editableSeenAt);
    }
    await context.close();
  }
  return { editableMs, jsCssGzipBytes: bytes.before, jsCssFiles: bytes.files, allJsCssGzipBytes: bytes.all };
}

async function gzipTotals(
  fetched: readonly { at: number; response: Response }[],
  editableAt: number,
): Promise<{ before: number; files: number; all: number }> {
  let before = 0;
  let files = 0;
  let all = 0;
  for (const { at, response } of fetched) {
    if (!isJsOrCss(response)) continue;
    const size = gzipSync(await response.body()).byteLength;
    all += size;
    if (at <= editableAt) {
      before += size;
      files++;
    }
  }
  return { before, files, all };
}

function isJsOrCss(response: Response): boolean {
  const type = response.headers()['content-type'] ?? '';
  const path = new URL(response.url()).pathname;
  return /javascript|text\/css/.test(type) || /\.(m?js|css)$/.test(path);
}
