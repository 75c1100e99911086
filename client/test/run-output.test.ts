/**
 * The pure parts of running code: console formatting, the output caps, line references and the run
 * record schema the document carries. No browser needed.
 */
import { describe, expect, it } from 'vitest';
import { parseRunRecord, type RunRecord } from '../../shared/run-record.js';
import { splitLineReferences } from '../src/run/output-links.js';
import { RunOutputBuffer } from '../src/run/run-output-buffer.js';
import { formatConsoleArgs, formatValue } from '../src/run/runtime/format-value.js';
import { StdinLines } from '../src/run/runtime/stdin-lines.js';

describe('console formatting', () => {
  it('prints top-level strings as they are and nested strings quoted', () => {
    expect(formatConsoleArgs(['hello', 'world'])).toBe('hello world');
    expect(formatValue({ a: [1, 2] })).toBe('{a: [1, 2]}');
    expect(formatValue(['x', { s: "it's" }])).toBe("['x', {s: 'it\\'s'}]");
  });

  it('formats the values a console shows specially', () => {
    class Point {
      x = 1;
    }
    expect(formatValue(new Point())).toBe('Point {x: 1}');
    expect(formatValue(new Map([['k', 1]]))).toBe("Map(1) {'k' => 1}");
    expect(formatValue(new Set([1, 2]))).toBe('Set(2) {1, 2}');
    expect(formatValue(new Uint8Array([1, 2]))).toBe('Uint8Array(2) [1, 2]');
    expect(formatValue([undefined, null, -0, 10n, Symbol('s')])).toBe(
      '[undefined, null, -0, 10n, Symbol(s)]',
    );
    expect(formatValue(function named() {})).toBe('ƒ named()');
    expect(formatValue({ 'needs quotes': true })).toBe("{'needs quotes': true}");
    // biome-ignore lint/suspicious/noSparseArray: a hole is what is being formatted
    expect(formatValue([1, , 3])).toBe('[1, empty, 3]');
  });

  it('abbreviates cycles and deep nesting and never calls getters', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe("{name: 'loop', self: [Circular]}");
    expect(formatValue({ a: { b: { c: { d: { e: 1 } } } } })).toBe('{a: {b: {c: {d: {…}}}}}');
    let called = false;
    const withGetter = {
      get secret() {
        called = true;
        return 1;
      },
    };
    expect(formatValue(withGetter)).toBe('{secret: [Getter]}');
    expect(called).toBe(false);
  });

  it('applies format specifiers of a leading string', () => {
    expect(formatConsoleArgs(['%s is %d years', 'Ada', 36.6, 'extra'])).toBe('Ada is 36 years extra');
    expect(formatConsoleArgs(['%o and %%', { a: 1 }])).toBe('{a: 1} and %');
    expect(formatConsoleArgs(['%cstyled', 'color: red'])).toBe('styled');
  });
});

describe('run output caps', () => {
  it('merges consecutive writes of one stream and keeps stdout and stderr in order', () => {
    const buffer = new RunOutputBuffer(1024, 100);
    buffer.append('stdout', 'a');
    buffer.append('stdout', 'b\n');
    buffer.append('stderr', 'oops\n');
    buffer.append('stdout', 'c\n');
    expect(buffer.chunks).toEqual([
      { stream: 'stdout', text: 'ab\n' },
      { stream: 'stderr', text: 'oops\n' },
      { stream: 'stdout', text: 'c\n' },
    ]);
    expect(buffer.truncated).toBe(false);
  });

  it('cuts at the line cap with a visible note', () => {
    const buffer = new RunOutputBuffer(1024, 3);
    expect(buffer.append('stdout', '1\n2\n3\n4\n5\n')).toBe(false);
    expect(buffer.truncated).toBe(true);
    expect(buffer.chunks[0]).toEqual({ stream: 'stdout', text: '1\n2\n3\n' });
    expect(buffer.chunks[1]?.stream).toBe('system');
    expect(buffer.chunks[1]?.text).toContain('output truncated');
    expect(buffer.append('stdout', 'more')).toBe(false);
    expect(buffer.chunks).toHaveLength(2);
  });

  it('cuts at the byte cap in UTF-8 without splitting a character', () => {
    const buffer = new RunOutputBuffer(10, 100);
    buffer.append('stdout', 'ééééé😀');
    expect(buffer.chunks[0]?.text).toBe('ééééé');
    expect(buffer.truncated).toBe(true);
  });
});

describe('stdin lines', () => {
  it('hands out one line at a time and then null', () => {
    const stdin = new StdinLines('Ada\r\n36\n');
    expect([stdin.next(), stdin.next(), stdin.next()]).toEqual(['Ada', '36', null]);
    expect(new StdinLines('').next()).toBeNull();
    expect(new StdinLines('\n').next()).toBe('');
  });
});

describe('line references in output', () => {
  it('finds JavaScript, TypeScript and Python locations', () => {
    expect(splitLineReferences('    at f (main.js:4:9)\n')).toEqual([
      { text: '    at f (' },
      { text: 'main.js:4:9', line: 4, column: 9 },
      { text: ')\n' },
    ]);
    expect(splitLineReferences('at main.ts:10:3').at(-1)).toEqual({
      text: 'main.ts:10:3',
      line: 10,
      column: 3,
    });
    expect(splitLineReferences('  File "main.py", line 6, in <module>')[1]).toEqual({
      text: 'File "main.py", line 6',
      line: 6,
      column: 1,
    });
    expect(splitLineReferences('File "other.py", line 6')).toEqual([{ text: 'File "other.py", line 6' }]);
  });
});

describe('run record schema', () => {
  const record: RunRecord = {
    id: 'AbCdEfGhIjKl',
    clientId: 42,
    by: 'Ada',
    color: '#e5484d',
    language: 'python',
    startedAt: 1_700_000_000_000,
    status: 'ok',
    durationMs: 12,
    exitCode: 0,
    output: [{ stream: 'stdout', text: 'hi\n' }],
    truncated: false,
  };

  it('accepts a well-formed run and refuses malformed ones', () => {
    expect(parseRunRecord(record)).toEqual(record);
    expect(parseRunRecord({ ...record, extra: 1 })).toBeNull();
    expect(parseRunRecord({ ...record, status: 'exploded' })).toBeNull();
    expect(parseRunRecord({ ...record, color: 'red; background: url(x)' })).toBeNull();
    expect(parseRunRecord({ ...record, output: [{ stream: 'html', text: '<b>' }] })).toBeNull();
    expect(
      parseRunRecord({ ...record, output: [{ stream: 'stdout', text: 'x'.repeat(2_000) }] }, 10),
    ).toBeNull();
    expect(parseRunRecord({ ...record, language: 'cobol' })).toBeNull();
  });
});
