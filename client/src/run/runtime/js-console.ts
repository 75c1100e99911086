import type { RunStream } from '../../../../shared/run-record.js';
import { type FormatOptions, formatConsoleArgs } from './format-value.js';

type Write = (stream: RunStream, text: string) => void;

/**
 * A `console` for programs that writes to the run's output: log/info/debug to stdout, warn/error/trace/
 * assert to stderr, with browser-console formatting, groups indenting, counters and timers.
 */
export function createProgramConsole(write: Write, options: FormatOptions): Console {
  let indent = '';
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const print = (stream: RunStream, args: readonly unknown[]) => {
    const text = formatConsoleArgs(args, options);
    write(stream, `${indent}${text.replace(/\n/g, `\n${indent}`)}\n`);
  };
  const out = (...args: unknown[]) => print('stdout', args);
  const err = (...args: unknown[]) => print('stderr', args);
  const elapsed = (label: string) => {
    const start = timers.get(label);
    return start === undefined ? null : `${label}: ${(performance.now() - start).toFixed(3)} ms`;
  };
  const programConsole = {
    log: out,
    info: out,
    debug: out,
    dir: (value: unknown) => out(value),
    dirxml: out,
    table: out,
    warn: err,
    error: err,
    trace: (...args: unknown[]) => err('Trace:', ...args),
    assert: (condition?: unknown, ...args: unknown[]) => {
      if (!condition) err('Assertion failed:', ...(args.length > 0 ? args : ['console.assert']));
    },
    group: (...args: unknown[]) => {
      if (args.length > 0) out(...args);
      indent += '  ';
    },
    groupCollapsed: (...args: unknown[]) => programConsole.group(...args),
    groupEnd: () => {
      indent = indent.slice(2);
    },
    count: (label = 'default') => {
      const next = (counts.get(label) ?? 0) + 1;
      counts.set(label, next);
      out(`${label}: ${next}`);
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => timers.set(label, performance.now()),
    timeLog: (label = 'default', ...args: unknown[]) =>
      out(elapsed(label) ?? `Timer '${label}' does not exist`, ...args),
    timeEnd: (label = 'default') => {
      out(elapsed(label) ?? `Timer '${label}' does not exist`);
      timers.delete(label);
    },
    clear: () => undefined,
  };
  return programConsole as unknown as Console;
}
