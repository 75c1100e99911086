import type { RunRequest, RuntimeMessage } from '../sandbox-protocol.js';
import { createProgramConsole } from './js-console.js';
import { formatSyntaxError, ProgramSource, parseErrorLocation } from './js-errors.js';
import { OutputSink } from './output-sink.js';
import { ProgramActivity } from './program-activity.js';
import { StdinLines } from './stdin-lines.js';

/** Thrown by `prompt()` when the stdin box has no more lines. */
class EOFError extends Error {
  override name = 'EOFError';
}

/**
 * TypeScript becomes JavaScript with sucrase's `typescript` transform, which only strips types: lines stay
 * where they were, so error line numbers match the editor; type errors never block a run. Loaded only for
 * TypeScript runs (and to locate JavaScript syntax errors, which the engine reports without a position).
 */
async function stripTypes(code: string): Promise<string> {
  const { transform } = await import('sucrase');
  return transform(code, { transforms: ['typescript'], disableESTransforms: true }).code;
}

async function locateSyntaxError(code: string): Promise<{ line: number; column: number } | null> {
  try {
    const { transform } = await import('sucrase');
    transform(code, { transforms: [], disableESTransforms: true });
    return null;
  } catch (error) {
    return parseErrorLocation(error);
  }
}

/**
 * Runs one JavaScript or TypeScript program in this worker (a fresh worker per run: the frame terminates it
 * afterwards, which is also how Stop and the timeout end a `while(true){}`). The program is a module loaded
 * from a blob: URL, so top-level `await` works and its stack frames point at the editor's lines.
 */
export async function runJavaScript(
  request: RunRequest,
  post: (message: RuntimeMessage) => void,
): Promise<void> {
  const sink = new OutputSink(post, request.runId, request.maxOutputBytes, request.maxOutputLines);
  const displayName = request.language === 'typescript' ? 'main.ts' : 'main.js';
  let failed = false;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    post({ type: 'done', runId: request.runId, outcome: failed ? 'error' : 'ok', exitCode: failed ? 1 : 0 });
  };
  const fail = (text: string) => {
    failed = true;
    sink.write('stderr', `${text}\n`);
  };

  let source = request.code;
  if (request.language === 'typescript') {
    try {
      source = await stripTypes(request.code);
    } catch (error) {
      fail(formatSyntaxError(String((error as Error).message), displayName, parseErrorLocation(error)));
      return finish();
    }
  }

  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const program = new ProgramSource(url, displayName);
  const activity = new ProgramActivity(finish, (error) => fail(program.formatUncaught(error)));
  installProgramGlobals(request, sink, program);
  activity.install();
  self.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    fail(program.formatUncaught(event.reason, 'Uncaught (in promise) '));
  });
  self.addEventListener('error', (event) => {
    event.preventDefault();
    fail(program.formatUncaught(event.error ?? event.message));
  });

  post({ type: 'started', runId: request.runId });
  try {
    await import(/* @vite-ignore */ url);
  } catch (error) {
    if (error instanceof SyntaxError && !program.raisedInProgram(error)) {
      fail(formatSyntaxError(error.message, displayName, await locateSyntaxError(request.code)));
    } else {
      fail(program.formatUncaught(error));
    }
    // Like a script under Node, an uncaught error at the top level ends the program.
    return finish();
  }
  activity.moduleSettled();
}

function installProgramGlobals(request: RunRequest, sink: OutputSink, program: ProgramSource): void {
  const stdin = new StdinLines(request.stdin);
  const scope = globalThis as unknown as Record<string, unknown>;
  scope.console = createProgramConsole((stream, text) => sink.write(stream, text), {
    formatError: (error) => program.formatError(error),
  });
  // The browser's prompt() without a dialog: the message goes to stdout, the answer is the next stdin line.
  scope.prompt = (message?: unknown) => {
    if (message !== undefined && message !== '') sink.write('stdout', String(message));
    const line = stdin.next();
    if (line === null) throw new EOFError('prompt(): no more input (add lines to the stdin box)');
    return line;
  };
}
