/**
 * Keystroke latency page → page: one page types at a steady pace, the other records when each character
 * reached its editor model and the frame after it. Keystrokes are matched to changes by document length,
 * so changes that arrive together still count once per keystroke.
 */
import type { Browser } from 'playwright-core';
import { sharePath } from '../../shared/session-id.js';
import { Samples } from '../lib/stats.js';
import {
  type ChangeLog,
  editableAt,
  focusEnd,
  modelLength,
  modelLengthAtLeast,
  readChanges,
  readKeydowns,
  recordChanges,
  recordKeydowns,
} from './page-scripts.js';

export interface KeystrokeResult {
  toModelMs: Samples;
  toFrameMs: Samples;
}

/** A fast typist: 10 characters per second. */
const KEY_INTERVAL_MS = 100;

export async function measureKeystrokes(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
  keystrokes: number,
): Promise<KeystrokeResult> {
  const url = `${baseUrl}${sharePath(sessionId)}`;
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [typing, watching] = await Promise.all(contexts.map((context) => context.newPage()));
    for (const page of [typing!, watching!]) {
      await page.goto(url);
      await page.waitForFunction(editableAt, undefined, { polling: 'raf', timeout: 60_000 });
    }
    const startLength = await watching!.evaluate(modelLength);
    await watching!.evaluate(recordChanges);
    await typing!.evaluate(recordKeydowns);
    await typing!.evaluate(focusEnd);
    for (let i = 0; i < keystrokes; i++) {
      const started = performance.now();
      await typing!.keyboard.press(String.fromCharCode(97 + (i % 26)));
      const wait = KEY_INTERVAL_MS - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await watching!.waitForFunction(modelLengthAtLeast, startLength + keystrokes, { timeout: 30_000 });
    await watching!.waitForTimeout(100);
    const keydowns = await typing!.evaluate(readKeydowns);
    const changes = await watching!.evaluate(readChanges);
    if (!changes) throw new Error('the watching page recorded no changes');
    return pair(keydowns, changes, startLength);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}

function pair(keydowns: readonly number[], changes: ChangeLog, startLength: number): KeystrokeResult {
  const toModelMs = new Samples();
  const toFrameMs = new Samples();
  let change = 0;
  keydowns.forEach((downAt, index) => {
    while (change < changes.lengths.length && changes.lengths[change]! < startLength + index + 1) change++;
    if (change >= changes.lengths.length)
      throw new Error(`keystroke ${index + 1} never reached the other page`);
    toModelMs.add(changes.modelAt[change]! - downAt);
    const frameAt = changes.frameAt[change];
    if (frameAt !== undefined) toFrameMs.add(frameAt - downAt);
  });
  return { toModelMs, toFrameMs };
}
