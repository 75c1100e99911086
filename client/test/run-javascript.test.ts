/**
 * Running JavaScript and TypeScript from the session page: real Chromium, the real server, the production
 * build. The code runs in the sandboxed frame's worker; the tests read what the run panel shows.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMIT_DEFAULTS } from '../../shared/limits.js';
import { launchBrowser, type TrackedPage } from './support/browser.js';
import {
  appErrors,
  clickStop,
  outputText,
  POLL,
  runCode,
  runHeaderText,
  setCode,
  setStdin,
  setTimeLimit,
  shownStatus,
  startRun,
  waitForRunEnd,
} from './support/run-panel.js';
import { createSession, type RunningServer, startServer } from './support/server.js';
import { editorValue, focusEditorEnd, openSessionPage, typeAtEnd } from './support/session-page.js';

const ADA = { name: 'Ada', color: '#e5484d' };

let browser: Browser;
let server: RunningServer;
/** One session page per language, reused by the tests (opening Monaco is the slow part). */
const pages = new Map<string, TrackedPage>();
/** Every URL the pages, their sandboxed frames and workers requested. */
const requested: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => {
  for (const tracked of pages.values()) expect(appErrors(tracked.errors.splice(0))).toEqual([]);
});

async function openSession(language: 'javascript' | 'typescript' = 'javascript'): Promise<TrackedPage> {
  const open = pages.get(language);
  if (open) return open;
  const { id } = await createSession(server.url, { language });
  const tracked = await openSessionPage(browser, server.url, id, { user: ADA });
  await tracked.context.route('**/*', (route) => {
    requested.push(route.request().url());
    return route.continue();
  });
  pages.set(language, tracked);
  return tracked;
}

describe('running JavaScript', () => {
  it('prints hello world, formats objects like a browser console, and reports exit status and duration', async () => {
    const { page } = await openSession();
    expect(await runCode(page, 'console.log("hello, world")')).toBe('hello, world\n');
    expect(await runHeaderText(page)).toMatch(/Ada\s+JavaScript\s+.+\s+exit 0 · [\d.]+ m?s/);

    const output = await runCode(page, 'console.log({a:[1,2]}); console.log(["x", {s: "y"}], null, 42n)');
    expect(output).toBe("{a: [1, 2]}\n['x', {s: 'y'}] null 42n\n");
  });

  it('shows an uncaught error with the editor line, and clicking it moves the cursor there', async () => {
    const { page } = await openSession();
    const code = 'const a = 1;\n\nfunction fail() {\n  throw new Error("boom");\n}\nfail();\n';
    const output = await runCode(page, code, 'error');
    expect(output).toContain('Uncaught Error: boom');
    expect(output).toContain('at fail (main.js:4:9)');
    expect(await runHeaderText(page)).toContain('exit 1');

    await page.locator('run-panel .line-link', { hasText: 'main.js:4:9' }).click();
    await expect
      .poll(
        () => page.evaluate(() => document.querySelector('session-page')?.editor?.getPosition()?.lineNumber),
        POLL,
      )
      .toBe(4);
  });

  it('reports a syntax error with its line, and stderr interleaves with stdout in order', async () => {
    const { page } = await openSession();
    const syntax = await runCode(page, 'let ok = 1;\nlet broken = ;\n', 'error');
    expect(syntax).toMatch(/Uncaught SyntaxError: Unexpected token.*\n\s+at main\.js:2:\d+/);

    const mixed = await runCode(page, 'console.log("one"); console.error("two"); console.log("three")');
    expect(mixed).toBe('one\ntwo\nthree\n');
    await expect.poll(() => page.locator('run-panel pre.output .stderr').textContent(), POLL).toBe('two\n');
  });

  it('waits for timers and top-level await before the run ends', async () => {
    const { page } = await openSession();
    const code = 'setTimeout(() => console.log("later"), 50);\nawait null;\nconsole.log("first");';
    expect(await runCode(page, code)).toBe('first\nlater\n');
  });

  it('ends while(true){} at the time limit while the editor stays usable, and the next run works', async () => {
    const { page } = await openSession();
    await setTimeLimit(page, 3);
    await startRun(page, 'console.log("spinning");\nwhile (true) {}\n');
    await expect.poll(() => outputText(page), POLL).toContain('spinning');
    expect(await shownStatus(page)).toBe('running');

    await typeAtEnd(page, '// typed while running');
    await expect.poll(() => editorValue(page), POLL).toContain('// typed while running');
    await waitForRunEnd(page, 'timeout', 30_000);
    expect(await outputText(page)).toContain('took longer than its time limit');

    expect(await runCode(page, 'console.log("next run")')).toBe('next run\n');
    await setTimeLimit(page, 10);
  });

  it('ends while(true){} with Stop, and the next run works', async () => {
    const { page } = await openSession();
    await startRun(page, 'while (true) {}');
    expect(await shownStatus(page)).toBe('running');
    await clickStop(page);
    await waitForRunEnd(page, 'stopped', 30_000);
    expect(await runCode(page, 'console.log(1 + 1)')).toBe('2\n');
  });

  it('runs with Ctrl+Enter from the editor', async () => {
    const { page } = await openSession();
    await setCode(page, 'console.log("from the keyboard")');
    await focusEditorEnd(page);
    await page.keyboard.press('Control+Enter');
    await waitForRunEnd(page, 'ok', 30_000);
    expect(await outputText(page)).toBe('from the keyboard\n');
  });

  it('feeds prompt() from the stdin box and fails clearly past its end', async () => {
    const { page } = await openSession();
    await setStdin(page, 'Ada\nBob\n');
    const output = await runCode(page, 'console.log(prompt(), prompt());\nprompt();\n', 'error');
    expect(output).toContain('Ada Bob\n');
    expect(output).toMatch(/Uncaught EOFError: prompt\(\): no more input/);
    await setStdin(page, '');
  });

  it('shows output that looks like HTML literally', async () => {
    const tracked = await openSession();
    const { page } = tracked;
    const output = await runCode(
      page,
      'console.log("<img src=x onerror=alert(1)>"); console.error("<b>bold</b>")',
    );
    expect(output).toBe('<img src=x onerror=alert(1)>\n<b>bold</b>\n');
    expect(await page.locator('run-panel pre.output img, run-panel pre.output b').count()).toBe(0);
    expect(tracked.dialogs).toEqual([]);
  });

  it('cuts endless output at the line cap with a visible note', async () => {
    const { page } = await openSession();
    const output = await runCode(page, 'for (let i = 0; i < 100000; i++) console.log("line " + i);');
    expect(output).toContain('line 999\n');
    expect(output).not.toContain('line 1000\n');
    expect(output).toContain('[output truncated');
  });
});

describe('running TypeScript', () => {
  it('runs code with type annotations, and error lines match the editor', async () => {
    const { page } = await openSession('typescript');
    const code = [
      'interface Point {',
      '  x: number;',
      '  y: number;',
      '}',
      'const p: Point = { x: 1, y: 2 };',
      'const sum = (a: number, b: number): number => a + b;',
      'console.log(sum(p.x, p.y));',
      'const wrong: string = 42 as unknown as string;',
      'console.log(wrong);',
      'throw new Error("line ten");',
    ].join('\n');
    const output = await runCode(page, code, 'error');
    expect(output).toContain('3\n42\n');
    expect(output).toContain('Uncaught Error: line ten');
    expect(output).toMatch(/at main\.ts:10:\d+/);
    expect(await runHeaderText(page)).toContain('TypeScript');
  });

  it('reports a TypeScript syntax error with its line, and the corrected code then runs', async () => {
    const { page } = await openSession('typescript');
    expect(await runCode(page, 'const a: number = ;', 'error')).toMatch(
      /SyntaxError.*\n\s+at main\.ts:1:\d+/,
    );
    expect(await runCode(page, 'const a: number = 1;\nconsole.log(a);')).toBe('1\n');
  });

  it('never downloads Python for JavaScript or TypeScript sessions', () => {
    expect(requested.some((url) => url.includes('/assets/worker-main-'))).toBe(true);
    expect(requested.filter((url) => url.includes('/pyodide/') || url.includes('python-runner'))).toEqual([]);
  });
});

describe('a sandbox that never answers', () => {
  it(
    'ends the run as an error instead of hanging, and the next run starts a fresh sandbox',
    async () => {
      const { id } = await createSession(server.url, { language: 'javascript' });
      const tracked = await openSessionPage(browser, server.url, id, { user: ADA });
      try {
        await tracked.context.route('**/sandbox.html', (route) => route.abort('connectionrefused'));
        await startRun(tracked.page, 'console.log("never runs")');
        await waitForRunEnd(tracked.page, 'error', LIMIT_DEFAULTS.RUN_START_TIMEOUT_MS + 30_000);
        expect(await outputText(tracked.page)).toContain('the code runner did not start');

        await tracked.context.unroute('**/sandbox.html');
        expect(await runCode(tracked.page, 'console.log("runs now")')).toBe('runs now\n');
      } finally {
        await tracked.context.close();
      }
    },
    LIMIT_DEFAULTS.RUN_START_TIMEOUT_MS + 90_000,
  );
});
