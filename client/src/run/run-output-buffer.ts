import { MAX_RUN_OUTPUT_CHUNKS, type RunOutputChunk, type RunStream } from '../../../shared/run-record.js';

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a surrogate pair. */
function clipToBytes(text: string, maxBytes: number): string {
  let low = 0;
  let high = Math.min(text.length, maxBytes);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (utf8Length(text.slice(0, middle)) <= maxBytes) low = middle;
    else high = middle - 1;
  }
  const code = text.charCodeAt(low - 1);
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, low - 1) : text.slice(0, low);
}

/** Index just past the `count`-th newline of `text`, or -1 when it has fewer. */
function afterNthNewline(text: string, count: number): number {
  let index = -1;
  for (let seen = 0; seen < count; seen++) {
    index = text.indexOf('\n', index + 1);
    if (index === -1) return -1;
  }
  return index + 1;
}

/**
 * A run's output as it is kept and published: stdout and stderr chunks in the order they were written,
 * consecutive writes of one stream merged, cut at a byte and a line cap with a visible note at the end.
 */
export class RunOutputBuffer {
  readonly chunks: RunOutputChunk[] = [];
  #bytes = 0;
  #newlines = 0;
  #truncated = false;
  readonly #maxBytes: number;
  readonly #maxLines: number;

  constructor(maxBytes: number, maxLines: number) {
    this.#maxBytes = maxBytes;
    this.#maxLines = maxLines;
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  /** Appends program output; returns false once the caps are reached and the text was (partly) dropped. */
  append(stream: RunStream, text: string): boolean {
    if (this.#truncated) return false;
    let kept = text;
    const linesLeft = this.#maxLines - this.#newlines;
    const lineEnd = afterNthNewline(kept, linesLeft);
    if (lineEnd !== -1 && lineEnd < kept.length) kept = kept.slice(0, lineEnd);
    if (this.#bytes + utf8Length(kept) > this.#maxBytes)
      kept = clipToBytes(kept, this.#maxBytes - this.#bytes);
    const cut = kept.length < text.length;
    this.#push(stream, kept);
    this.#bytes += utf8Length(kept);
    this.#newlines += countNewlines(kept);
    if (cut || this.chunks.length >= MAX_RUN_OUTPUT_CHUNKS - 1) {
      this.#truncate();
      return false;
    }
    return true;
  }

  /** The pad's own note (not counted against the program's caps). */
  note(text: string): void {
    const last = this.chunks.at(-1);
    const separator = last !== undefined && !last.text.endsWith('\n') ? '\n' : '';
    this.chunks.push({ stream: 'system', text: `${separator}${text}\n` });
  }

  #truncate(): void {
    this.#truncated = true;
    const kib = Math.round(this.#maxBytes / 1024);
    this.note(`[output truncated: runs keep at most ${this.#maxLines} lines and ${kib} KiB]`);
  }

  #push(stream: RunStream, text: string): void {
    if (text === '') return;
    const last = this.chunks.at(-1);
    if (last?.stream === stream) last.text += text;
    else this.chunks.push({ stream, text });
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
