/**
 * The text of the run panel's stdin box, handed out one line at a time (`input()` in Python, `prompt()` in
 * JavaScript). `null` means the end of input.
 */
export class StdinLines {
  readonly #lines: string[];

  constructor(text: string) {
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    // A final newline ends the last line; it does not start an empty one.
    if (lines.at(-1) === '') lines.pop();
    this.#lines = lines;
  }

  next(): string | null {
    return this.#lines.shift() ?? null;
  }
}
