import type { RunStream } from '../../../../shared/run-record.js';
import type { RuntimeMessage } from '../sandbox-protocol.js';

/** How long output may wait in the worker before it is posted, even while a program keeps the thread busy. */
const FLUSH_INTERVAL_MS = 50;
/** Post at once when this much is waiting. */
const FLUSH_CHARS = 16 * 1024;

// Taken before the JavaScript runtime wraps the timer functions to see when a program has finished.
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);

/**
 * Collects a run's stdout and stderr in the order they were written and posts them to the frame in
 * batches: a program printing in a tight loop would otherwise send one message per line. Once the output
 * is past the caps the page applies, the rest is dropped here so an endless `print` cannot flood the page.
 */
export class OutputSink {
  readonly #post: (message: RuntimeMessage) => void;
  readonly #runId: string;
  readonly #maxChars: number;
  readonly #maxLines: number;
  #pending: { stream: RunStream; text: string }[] = [];
  #pendingChars = 0;
  #sentChars = 0;
  #sentLines = 0;
  #lastFlush = performance.now();
  #timer: ReturnType<typeof setTimeout> | null = null;

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
    const last = this.#pending.at(-1);
    if (last?.stream === stream) last.text += kept;
    else this.#pending.push({ stream, text: kept });
    this.#pendingChars += kept.length;
    // A busy program never yields to timers, so the clock is checked on every write as well.
    if (this.#pendingChars >= FLUSH_CHARS || performance.now() - this.#lastFlush >= FLUSH_INTERVAL_MS) {
      this.flush();
    } else {
      this.#timer ??= realSetTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
    }
  }

  flush(): void {
    if (this.#timer !== null) realClearTimeout(this.#timer);
    this.#timer = null;
    this.#lastFlush = performance.now();
    for (const chunk of this.#pending) {
      this.#post({ type: 'output', runId: this.#runId, stream: chunk.stream, text: chunk.text });
    }
    this.#pending = [];
    this.#pendingChars = 0;
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
