import type { RunStream } from '../../../../shared/run-record.js';
import type { RuntimeMessage } from '../sandbox-protocol.js';

/**
 * Passes a run's stdout and stderr to the frame in the order they were written. Every write is posted at
 * once: a program may start a busy loop right after printing, and a batch waiting for a timer would then
 * never be sent (and would be lost when Stop terminates the worker). The caps bound the number of
 * messages: once the output is past what the page keeps, the rest is dropped here, so an endless `print`
 * cannot flood the page.
 */
export class OutputSink {
  readonly #post: (message: RuntimeMessage) => void;
  readonly #runId: string;
  readonly #maxChars: number;
  readonly #maxLines: number;
  #sentChars = 0;
  #sentLines = 0;

  constructor(post: (message: RuntimeMessage) => void, runId: string, maxBytes: number, maxLines: number) {
    this.#post = post;
    this.#runId = runId;
    // Forward a little more than the caps so the page itself sees that output was cut.
    this.#maxChars = maxBytes + 1;
    this.#maxLines = maxLines + 1;
  }

  get full(): boolean {
    return this.#sentChars >= this.#maxChars || this.#sentLines >= this.#maxLines;
  }

  write(stream: RunStream, text: string): void {
    if (text === '' || this.full) return;
    const room = this.#maxChars - this.#sentChars;
    const kept = text.length > room ? text.slice(0, room) : text;
    this.#sentChars += kept.length;
    this.#sentLines += countNewlines(kept);
    this.#post({ type: 'output', runId: this.#runId, stream, text: kept });
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
