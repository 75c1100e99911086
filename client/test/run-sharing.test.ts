/**
 * Runs are shared through the session's document: everyone sees who is running and the output live, a
 * late joiner sees the last runs, and code only ever executes in the tab of the person who pressed Run.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LIMIT_DEFAULTS } from '../../shared/limits.js';
import type { TrackedPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import {
  appErrors,
  clickStop,
  outputText,
  POLL,
  runCode,
  runHeaderText,
  shownStatus,
  startRun,
  waitForRunEnd,
} from './support/run-panel.js';
import { createSession, startServer } from './support/server.js';
import { connectionText, openSessionPage } from './support/session-page.js';

const ADA = { name: 'Ada', color: '#e5484d' };
const BOB = { name: 'Bob', color: '#0090ff' };
const CAROL = { name: 'Carol', color: '#30a46c' };
/** Three pages with Monaco on a busy two-core machine. */
const SHARING_TEST_MS = 180_000;

// Every page must have run without errors.
const suite = useBrowserSuite({
  checkPage: (tracked) => expect(appErrors(tracked.errors)).toEqual([]),
});

async function open(id: string, user: typeof ADA): Promise<Page> {
  const tracked = await openSessionPage(suite.browser, suite.server.url, id, { user });
  suite.track(tracked);
  return tracked.page;
}

function runningNotices(page: Page): Promise<string[]> {
  return page.locator('run-panel .notice.elsewhere').allTextContents();
}

function frameCount(page: Page): Promise<number> {
  return page.locator('run-panel iframe').count();
}

describe('shared runs', () => {
  it(
    'shows A’s run live to B with a running indicator, and the last run to a newly opened page C',
    async () => {
      const { id } = await createSession(suite.server.url, { language: 'javascript' });
      const ada = await open(id, ADA);
      const bob = await open(id, BOB);

      await startRun(ada, 'console.log("<i>from Ada</i>");\nwhile (true) {}\n');
      await expect.poll(() => runningNotices(bob), POLL).toEqual(['Ada is running…']);
      await expect.poll(() => outputText(bob), POLL).toBe('<i>from Ada</i>\n');
      expect(await shownStatus(bob)).toBe('running');
      expect(await runningNotices(ada)).toEqual([]);

      await clickStop(ada);
      await waitForRunEnd(ada, 'stopped', 30_000);
      await waitForRunEnd(bob, 'stopped', 30_000);
      await expect.poll(() => runningNotices(bob), POLL).toEqual([]);
      expect(await runHeaderText(bob)).toMatch(/Ada\s+JavaScript/);

      const carol = await open(id, CAROL);
      await waitForRunEnd(carol, 'stopped', 30_000);
      expect(await outputText(carol)).toContain('<i>from Ada</i>\n');
      expect(await carol.locator('run-panel pre.output i').count()).toBe(0);

      // Nobody but Ada ever executed anything: only her panel created a sandbox frame.
      expect(await frameCount(ada)).toBe(1);
      expect(await frameCount(bob)).toBe(0);
      expect(await frameCount(carol)).toBe(0);
    },
    SHARING_TEST_MS,
  );

  it(
    'keeps only the last runs in the document',
    async () => {
      const { id } = await createSession(suite.server.url, { language: 'javascript' });
      const ada = await open(id, ADA);
      const bob = await open(id, BOB);
      const runs = LIMIT_DEFAULTS.MAX_RUNS_KEPT + 2;
      for (let index = 0; index < runs; index++) await runCode(ada, `console.log("run ${index}")`);
      const kept = () =>
        bob.evaluate(() => document.querySelector('session-page')?.doc?.getArray('runs').length ?? -1);
      await expect.poll(kept, POLL).toBe(LIMIT_DEFAULTS.MAX_RUNS_KEPT);
      await expect.poll(() => outputText(bob), POLL).toBe(`run ${runs - 1}\n`);
      const options = await bob.locator('run-panel #run-history option').count();
      expect(options).toBe(LIMIT_DEFAULTS.MAX_RUNS_KEPT);
    },
    SHARING_TEST_MS,
  );
});

describe('run limits set on the server', () => {
  it(
    'caps a run’s output at the server’s configured size, so its record is accepted and shared',
    async () => {
      const limited = await startServer({ MAX_RUN_OUTPUT_BYTES: '300' });
      const mine: TrackedPage[] = [];
      try {
        const { id } = await createSession(limited.url, { language: 'javascript' });
        // These pages are closed before their server, so they never log its going away.
        const openOn = async (user: typeof ADA) => {
          const tracked = await openSessionPage(suite.browser, limited.url, id, { user });
          mine.push(tracked);
          return tracked.page;
        };
        const ada = await openOn(ADA);
        const bob = await openOn(BOB);
        // About 2 KB of output: far above the configured 300 bytes, far below the 64 KB default.
        const shown = await runCode(ada, 'for (let i = 0; i < 200; i++) console.log("line " + i);\n');
        expect(shown).toContain('line 0\n');
        expect(shown).toContain('output truncated');
        expect(shown).not.toContain('line 199');
        // The server accepted the record: Bob sees the same output and Ada is still connected.
        await expect.poll(() => outputText(bob), POLL).toBe(shown);
        expect(await connectionText(ada)).toBe(await connectionText(bob));
        expect(await connectionText(ada)).toBe('Connected');
        for (const tracked of mine) expect(appErrors(tracked.errors)).toEqual([]);
      } finally {
        for (const tracked of mine) await tracked.context.close();
        await limited.close();
      }
    },
    SHARING_TEST_MS,
  );
});
