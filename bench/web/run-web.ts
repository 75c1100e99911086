/**
 * `npm run bench:web`: the page's own figures, measured with headless Chromium against the production
 * build served by our compiled server. Writes bench/results-web.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { CreateSessionRequest, CreateSessionResponse } from '../../shared/api.js';
import { raiseDescendantGroups, raiseGroupPriority } from '../lib/priority.js';
import { launchServer } from '../lib/server-process.js';
import { OURS, OURS_ALT } from '../lib/targets.js';
import { launchChromium } from './browser.js';
import { measureKeystrokes } from './measure-keystrokes.js';
import { measureOpen } from './measure-open.js';
import { measurePython } from './measure-python.js';
import { renderPythonReport, renderWebReport } from './report-web.js';

const JS_PROGRAM = Array.from(
  { length: 40 },
  (_, i) => `function step${i}(value) {\n  return value * ${i + 1} + ${i};\n}\n`,
).join('');
const PY_PROGRAM = "print('hello from python')\n";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: 'boolean', default: false },
    // Measure another build instead (BENCH_ALT_ENTRY, its client served from its own dist/client).
    alt: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results-web.md' },
    // Only the Python session's cold opens and runs, with the steps of each open (for A/B runs of its load).
    python: { type: 'boolean', default: false },
    opens: { type: 'string' },
    runs: { type: 'string' },
    // Idle time between the first Python run and the later ones.
    'pause-ms': { type: 'string', default: '0' },
  },
});
const quick = values.quick;
const OPENS = quick ? 3 : 10;
const KEYSTROKES = quick ? 50 : 200;
const PYTHON_RUNS = values.runs === undefined ? (quick ? 5 : 20) : Number(values.runs);
const PYTHON_OPENS = values.opens === undefined ? (quick ? 1 : 5) : Number(values.opens);
const PAUSE_MS = Number(values['pause-ms']);

if (!values.alt && !existsSync('dist/client/index.html'))
  throw new Error('No production client build: run `npm run build` first.');
// Chromium and the server are our children: they share this session's raised priority.
process.once('exit', raiseGroupPriority());
const loadAtStart = loadavg()[0]!;
const target = values.alt ? OURS_ALT : OURS;
const server = await launchServer(target.launch(null, []));
const baseUrl = `http://127.0.0.1:${server.port}`;
const browser = await launchChromium();
raiseDescendantGroups();
try {
  if (values.python) {
    const session = await createSession(baseUrl, { language: 'python', content: PY_PROGRAM });
    const python = await measurePython(browser, baseUrl, session.id, {
      coldOpens: PYTHON_OPENS,
      nextRuns: PYTHON_RUNS,
      pauseMs: PAUSE_MS,
    });
    const markdown = renderPythonReport(python, { start: loadAtStart, end: loadavg()[0]! }, PAUSE_MS);
    writeFileSync(values.out, markdown);
    console.log(`\n${markdown}`);
  } else await measureEverything();
} finally {
  await browser.close();
  await server.stop();
}

async function measureEverything(): Promise<void> {
  const jsSession = await createSession(baseUrl, { language: 'javascript', content: JS_PROGRAM });
  const pySession = await createSession(baseUrl, { language: 'python', content: PY_PROGRAM });
  console.error('opening the JavaScript session…');
  const jsOpen = await measureOpen(browser, baseUrl, jsSession.id, OPENS);
  console.error('opening the Python session…');
  const pyOpen = await measureOpen(browser, baseUrl, pySession.id, 1);
  console.error(`typing ${KEYSTROKES} keystrokes…`);
  const keys = await measureKeystrokes(browser, baseUrl, jsSession.id, KEYSTROKES);
  console.error('running Python…');
  const python = await measurePython(browser, baseUrl, pySession.id, {
    coldOpens: PYTHON_OPENS,
    nextRuns: PYTHON_RUNS,
    pauseMs: PAUSE_MS,
  });
  const build = values.alt ? (process.env.BENCH_ALT_ENTRY ?? '') : null;
  const markdown = renderWebReport({
    quick,
    build,
    load: { start: loadAtStart, end: loadavg()[0]! },
    jsOpen,
    pyOpen,
    keys,
    python,
  });
  writeFileSync(values.out, markdown);
  console.log(`\n${markdown}`);
}

async function createSession(base: string, body: CreateSessionRequest): Promise<CreateSessionResponse> {
  const response = await fetch(`${base}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}`);
  return (await response.json()) as CreateSessionResponse;
}
