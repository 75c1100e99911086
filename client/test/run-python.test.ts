/**
 * Running Python with Pyodide served from our own origin. Every request that leaves the server's origin is
 * aborted for the whole file, so these tests also prove that Python works with the network cut off.
 * Loading Pyodide takes seconds (more on a busy machine), so one page is kept for the file's runs.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharePath } from '../../shared/session-id.js';
import { launchBrowser, newTrackedPage, type TrackedPage } from './support/browser.js';
import {
  appErrors,
  clickStop,
  outputText,
  pythonNotice,
  runCode,
  setStdin,
  shownStatus,
  startRun,
  waitForRunEnd,
} from './support/run-panel.js';
import { createSession, type RunningServer, startServer } from './support/server.js';
import { identityStorage, waitForEditable } from './support/session-page.js';

const ADA = { name: 'Ada', color: '#e5484d' };
/** Loading Pyodide on a loaded two-core machine has been measured at up to ~50 s. */
const PYTHON_LOAD_MS = 150_000;

let browser: Browser;
let server: RunningServer;
let tracked: TrackedPage;
const blockedRequests: string[] = [];
const pyodideRequests: string[] = [];
const sameOriginRequests: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
  const { id } = await createSession(server.url, { language: 'python', content: 'print("hello")\n' });
  tracked = await newTrackedPage(browser, { localStorage: identityStorage(ADA) });
  // Routes apply to the whole context: the page, the sandboxed frame and the workers inside it. They are in
  // place before the page loads, since a Python session starts loading Python while the editor loads.
  await tracked.context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== server.url) {
      blockedRequests.push(url);
      await route.abort('internetdisconnected');
      return;
    }
    sameOriginRequests.push(new URL(url).pathname);
    if (url.includes('/pyodide/')) pyodideRequests.push(new URL(url).pathname);
    await route.continue();
  });
  await tracked.page.goto(`${server.url}${sharePath(id)}`);
  await waitForEditable(tracked.page);
}, PYTHON_LOAD_MS);

afterAll(async () => {
  if (tracked) expect(appErrors(tracked.errors)).toEqual([]);
  await browser?.close();
  await server?.close();
});

describe('running Python', () => {
  it(
    'loads Pyodide in the background from our origin with every other request blocked, then says hello',
    async () => {
      const { page } = tracked;
      // The session is in Python: loading starts without a run, and the panel shows how far it is.
      await expect
        .poll(() => pythonNotice(tracked.page), { timeout: PYTHON_LOAD_MS, interval: 200 })
        .toMatch(/^Python 3\.\d+\.\d+ ready/);
      // Loaded before anything was run: the runtime's files were fetched without a click on Run.
      expect(await shownStatus(page)).toBe('');
      expect(pyodideRequests).toEqual(expect.arrayContaining(['/pyodide/pyodide.asm.wasm']));
      expect(await runCode(page, 'print("hello, world")')).toBe('hello, world\n');
      expect(blockedRequests).toEqual([]);
      expect(pyodideRequests).toEqual(
        expect.arrayContaining([
          '/pyodide/pyodide.asm.wasm',
          '/pyodide/python_stdlib.zip',
          '/pyodide/python-snapshot.bin',
        ]),
      );
      // Restored from the build's snapshot, not started from scratch.
      expect(await pythonNotice(tracked.page)).not.toContain('without its snapshot');
    },
    PYTHON_LOAD_MS,
  );

  it('reads input() line by line from the stdin box, and reading past the end is a clear EOFError', async () => {
    const { page } = tracked;
    await setStdin(page, 'Ada\n36\n');
    const code = 'name = input()\nage = int(input())\nprint(f"{name} is {age}")\ninput()\n';
    const output = await runCode(page, code, 'error', PYTHON_LOAD_MS);
    expect(output).toContain('Ada is 36\n');
    expect(output).toContain('File "main.py", line 4, in <module>');
    expect(output).toContain('EOFError: EOF when reading a line');
    await setStdin(page, '');
  });

  it('shows a traceback with the editor lines, stdout and stderr in order', async () => {
    const { page } = tracked;
    const code =
      'import sys\nprint("out")\nprint("err", file=sys.stderr)\ndef divide():\n    return 1 / 0\ndivide()\n';
    const output = await runCode(page, code, 'error', PYTHON_LOAD_MS);
    expect(output).toMatch(/^out\nerr\nTraceback \(most recent call last\):\n/);
    expect(output).toContain('File "main.py", line 6, in <module>');
    expect(output).toContain('File "main.py", line 5, in divide\n    return 1 / 0');
    expect(output).toContain('ZeroDivisionError: division by zero');
    expect(output).not.toContain('_pyodide');
  });

  it('interrupts while True: pass with KeyboardInterrupt on Stop, and runs again without reloading', async () => {
    const { page } = tracked;
    const wasmLoads = pyodideRequests.filter((path) => path.endsWith('.wasm')).length;
    await startRun(page, 'print("looping")\nwhile True:\n    pass\n');
    await expect.poll(() => outputText(page), { timeout: PYTHON_LOAD_MS }).toContain('looping');
    expect(await shownStatus(page)).toBe('running');
    await clickStop(page);
    await waitForRunEnd(page, 'stopped', 30_000);
    const output = await outputText(page);
    expect(output).toContain('KeyboardInterrupt');
    expect(output).not.toContain('terminated');

    expect(await runCode(page, 'print(sum(range(10)))')).toBe('45\n');
    expect(pyodideRequests.filter((path) => path.endsWith('.wasm')).length).toBe(wasmLoads);
    expect(await pythonNotice(tracked.page)).toMatch(/^Python 3\.\d+\.\d+ ready/);
  });

  it('runs again in the same Python, each run in a fresh namespace with its own stdin', async () => {
    const { page } = tracked;
    const wasmLoads = pyodideRequests.filter((path) => path.endsWith('.wasm')).length;
    await setStdin(page, 'first\n');
    expect(await runCode(page, 'secret = input()\nimport json\nprint(secret)\n')).toBe('first\n');
    await setStdin(page, '');
    const output = await runCode(page, 'print(secret)\n', 'error', PYTHON_LOAD_MS);
    expect(output).toContain("NameError: name 'secret' is not defined");
    expect(await runCode(page, 'print(input())\n', 'error', PYTHON_LOAD_MS)).toContain('EOFError');
    // Imported modules stay loaded (that is the point of keeping Python); the program's names do not.
    expect(await runCode(page, 'print("json" in globals(), __name__)\n')).toBe('False __main__\n');
    expect(pyodideRequests.filter((path) => path.endsWith('.wasm')).length).toBe(wasmLoads);
  });

  it('reports a package that is not available offline as a clear error, not a hang', async () => {
    const { page } = tracked;
    const output = await runCode(page, 'import numpy\n', 'error', PYTHON_LOAD_MS);
    expect(output).toContain("ModuleNotFoundError: No module named 'numpy'");
    expect(output).toContain('standard library only');
    expect(output).not.toContain('micropip.install');
    expect(blockedRequests).toEqual([]);
  });

  it('never downloads the JavaScript runtime, the TypeScript transpiler or their syntax definitions for a Python session', () => {
    expect(sameOriginRequests.some((path) => path.startsWith('/assets/python-runner-'))).toBe(true);
    expect(sameOriginRequests.filter((path) => path.startsWith('/assets/js-runner-'))).toEqual([]);
    // The editor's model starts in the session's language: only Python's syntax definition is loaded.
    expect(sameOriginRequests.filter((path) => /^\/assets\/(?:javascript|typescript)-/.test(path))).toEqual(
      [],
    );
    expect(sameOriginRequests.some((path) => /^\/assets\/python-[\w-]+\.js$/.test(path))).toBe(true);
  });
});
