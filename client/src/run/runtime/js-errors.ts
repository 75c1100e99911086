import { formatValue } from './format-value.js';

/**
 * Error text for JavaScript runs, with the program's own frames named after the editor's file
 * (`main.js:3:21`) so line numbers match the editor and the run panel can link them. The program runs as a
 * module from a blob: URL; frames of the runtime around it are dropped.
 */
export class ProgramSource {
  constructor(
    /** The blob: URL the program's module was loaded from. */
    readonly url: string,
    /** `main.js` or `main.ts`. */
    readonly displayName: string,
  ) {}

  /** An Error's stack with the program's frames renamed and everything else left out. */
  formatError(error: Error, prefix = ''): string {
    const stack = typeof error.stack === 'string' ? error.stack : `${error.name}: ${error.message}`;
    const lines = stack.split('\n');
    const frames = lines.filter((line) => /^\s+at /.test(line));
    const header =
      lines.filter((line) => !/^\s+at /.test(line)).join('\n') || `${error.name}: ${error.message}`;
    const own = frames
      .filter((line) => line.includes(this.url))
      .map((line) => line.replaceAll(this.url, this.displayName));
    return [`${prefix}${header}`, ...own].join('\n');
  }

  /** True when the program's module appears in the error's stack, i.e. the error happened while it ran. */
  raisedInProgram(error: unknown): boolean {
    return error instanceof Error && typeof error.stack === 'string' && error.stack.includes(this.url);
  }

  /** How an uncaught value prints: errors with their stack, anything else as a console would show it. */
  formatUncaught(value: unknown, prefix = 'Uncaught '): string {
    if (value instanceof Error) return this.formatError(value, prefix);
    return `${prefix}${formatValue(value)}`;
  }
}

/** `SyntaxError: Unexpected token (2:9)` style messages, as the TypeScript transpiler throws them. */
export function parseErrorLocation(error: unknown): { line: number; column: number } | null {
  if (!(error instanceof Error)) return null;
  const match = /\((\d+):(\d+)\)\s*$/.exec(error.message);
  if (match === null) return null;
  return { line: Number(match[1]), column: Number(match[2]) };
}

/** A syntax error line in the same shape as runtime frames, so the panel links it the same way. */
export function formatSyntaxError(
  message: string,
  displayName: string,
  location: { line: number; column: number } | null,
): string {
  const text = message.replace(/\s*\(\d+:\d+\)\s*$/, '');
  const where = location === null ? '' : `\n    at ${displayName}:${location.line}:${location.column}`;
  return `Uncaught SyntaxError: ${text.replace(/^SyntaxError: /, '')}${where}`;
}
