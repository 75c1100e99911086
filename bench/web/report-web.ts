/** The page benchmark's figures as Markdown, with the issue's targets beside them. */
import { describeMachine } from '../lib/machine.js';
import { markdownTable } from '../lib/markdown-table.js';
import type { KeystrokeResult } from './measure-keystrokes.js';
import type { OpenResult } from './measure-open.js';
import { PYTHON_MILESTONES, type PythonMilestone, type PythonResult } from './measure-python.js';

export interface WebResults {
  quick: boolean;
  /** The server entry of another build measured instead of ours (`--alt`), or null. */
  build: string | null;
  /** 1-minute load average when the measurement started and when it ended (the machine is shared). */
  load: { start: number; end: number };
  jsOpen: OpenResult;
  pyOpen: OpenResult;
  keys: KeystrokeResult;
  python: PythonResult;
}

export function renderWebReport(results: WebResults): string {
  const { jsOpen, pyOpen, keys, python } = results;
  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);
  const opens = jsOpen.editableMs.count;
  const rows = [
    [
      'JS + CSS before editable code, JavaScript session, app page (gzip KB)',
      kb(jsOpen.jsCssGzipBytes),
      '≤ 800',
    ],
    ['JS + CSS before editable code, Python session, app page (gzip KB)', kb(pyOpen.jsCssGzipBytes), '≤ 800'],
    [
      'JS + CSS before editable code, Python session, run frame loading Python (gzip KB)',
      kb(pyOpen.sandboxJsCssGzipBytes),
      '',
    ],
    ['JS + CSS by network idle, JavaScript session (gzip KB)', kb(jsOpen.allJsCssGzipBytes), ''],
    ['JS + CSS by network idle, Python session (gzip KB)', kb(pyOpen.allJsCssGzipBytes), ''],
    [
      `share link → editable synced code (plain view or editor), median of ${opens} cold opens (ms)`,
      ms(jsOpen.editableMs.median),
      '≤ 1000',
    ],
    ['share link → editable synced code, slowest (ms)', ms(jsOpen.editableMs.max), ''],
    [`share link → Monaco editor ready, median of ${opens} (ms)`, ms(jsOpen.editorReadyMs.median), ''],
    ['share link → Monaco editor ready, slowest (ms)', ms(jsOpen.editorReadyMs.max), ''],
    [
      `keystroke → other page's model, p50 of ${keys.toModelMs.count} (ms)`,
      ms(keys.toModelMs.median),
      '≤ 20',
    ],
    ["keystroke → other page's model, p99 (ms)", ms(keys.toModelMs.percentile(99)), '≤ 50'],
    ["keystroke → other page's next frame, p50 (ms)", ms(keys.toFrameMs.median), ''],
    ["keystroke → other page's next frame, p99 (ms)", ms(keys.toFrameMs.percentile(99)), ''],
    [
      `Python session opened → first run finished, median of ${python.firstRunDoneMs.count} cold opens (ms)`,
      ms(python.firstRunDoneMs.median),
      '≤ 3000',
    ],
    ['Python session opened → first run finished, slowest (ms)', ms(python.firstRunDoneMs.max), ''],
    ...(python.load === null
      ? []
      : [
          [
            'Python session opened → its worker starts loading Python, median (ms)',
            ms(python.load.startedAtMs.median),
            '',
          ],
          ['Python load in the worker, start → ready to run, median (ms)', ms(python.load.loadMs.median), ''],
          [
            'of which `loadPyodide` (snapshot restore), median (ms)',
            ms(python.load.loadPyodideMs.median),
            '',
          ],
        ]),
    [
      `later Python runs, Run pressed → shown ended, median of ${python.nextRunMs.count} (ms)`,
      ms(python.nextRunMs.median),
      '≤ 20 overhead',
    ],
    ['later Python runs, slowest (ms)', ms(python.nextRunMs.max), ''],
  ];
  const machine = describeMachine();
  return [
    '## Page benchmark results',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:web` +
      `${results.quick ? ' -- --quick' : ''}${results.build ? ' -- --alt' : ''}\`: headless Chromium (fresh ` +
      `profile, cold cache per open) against ` +
      `${results.build ? `the build of ${results.build}` : 'the production build served by our compiled server'} ` +
      `on localhost, on ${machine.cpuModel}, ` +
      `${machine.cores} cores, Node ${machine.node}, load average ${results.load.start.toFixed(1)} at the start ` +
      `and ${results.load.end.toFixed(1)} at the end. Gzip sizes are of each JS and CSS response compressed at ` +
      'the default level; the run frame (where Pyodide loads) is counted apart from the app page. A keystroke is typed every 100 ms; its latency is matched by document length. The ' +
      'first Python run of each cold open is started as soon as the code is editable and Run can be pressed, so its end bounds when Python was ' +
      'ready. "Editable code" is the plain view shown while Monaco loads, or Monaco; the keystroke figures are ' +
      'typed in and read from Monaco. ' +
      'Python runs are timed inside the page, from the click on Run to the panel showing the run ended.',
    '',
    ...markdownTable(['metric', 'value', 'target'], rows),
    '',
  ].join('\n');
}

/** `--python`: the Python session's cold opens step by step, and its later runs. */
export function renderPythonReport(
  python: PythonResult,
  load: { start: number; end: number },
  pauseMs: number,
): string {
  const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);
  const opens = python.firstRunDoneMs.count;
  const steps = (Object.keys(PYTHON_MILESTONES) as PythonMilestone[]).flatMap((name) => {
    const samples = python.milestones.get(name);
    if (samples === undefined) return [];
    return [[`share link → ${PYTHON_MILESTONES[name]}`, ms(samples.median), ms(samples.max)]];
  });
  const later = python.nextRunMs;
  const pause = pauseMs > 0 ? `${pauseMs} ms after the first run` : 'back to back after the first run';
  const machine = describeMachine();
  return [
    '## Python session: cold opens',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:web -- ` +
      `--python\`: ${opens} cold opens of a Python session, Run pressed as soon as it can be, on ` +
      `${machine.cpuModel}, ${machine.cores} cores, load average ${load.start.toFixed(1)} → ` +
      `${load.end.toFixed(1)}. Later runs: ${later.count}, ${pause}, timed in the page.`,
    '',
    ...markdownTable(['step (ms after navigation)', 'median', 'slowest'], steps),
    '',
    ...markdownTable(
      ['later runs (ms)', 'median', 'p90', 'slowest'],
      [
        ['Run pressed → shown ended', ms(later.median), ms(later.percentile(90)), ms(later.max)],
        ...(python.nextRunWorkerMs.count === 0
          ? []
          : [
              [
                'of which in the worker',
                ms(python.nextRunWorkerMs.median),
                ms(python.nextRunWorkerMs.percentile(90)),
                ms(python.nextRunWorkerMs.max),
              ],
            ]),
      ],
    ),
    '',
  ].join('\n');
}
