/**
 * Finds references to the program's own lines in output text — `main.js:3:21` / `main.ts:3:21` in
 * JavaScript stacks, `File "main.py", line 3` in Python tracebacks — so the panel can make them links that
 * move the editor's cursor there.
 */
export interface OutputSegment {
  text: string;
  /** 1-based editor position when this segment is a line reference. */
  line?: number;
  column?: number;
}

const LINE_REFERENCE = /\bmain\.(?:js|ts):(\d+)(?::(\d+))?|File "main\.py", line (\d+)/g;

export function splitLineReferences(text: string): OutputSegment[] {
  const segments: OutputSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(LINE_REFERENCE)) {
    const start = match.index;
    if (start > last) segments.push({ text: text.slice(last, start) });
    const line = Number(match[1] ?? match[3]);
    const column = match[2] === undefined ? 1 : Math.max(1, Number(match[2]));
    segments.push({ text: match[0], line, column });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
