/**
 * Text changes between a plain `<textarea>` and a Y.Text: the smallest single replacement that turns one
 * string into another (what a person typed, pasted or deleted), and where an offset in the text lands after
 * someone else's change (so a caret stays on the same character).
 */

/** Replace `remove` characters at `index` with `insert`. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

/** One operation of a Y.Text event's delta. */
export interface DeltaOperation {
  insert?: unknown;
  delete?: number;
  retain?: number;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The change from `before` to `after` as one replacement, from their common prefix and suffix; null when
 * they are equal. It never splits a surrogate pair: Yjs would store a lone half as U+FFFD.
 */
export function minimalChange(before: string, after: string): TextChange | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/**
 * Where `offset` lands once `delta` is applied. Text inserted exactly at the offset goes before it, as
 * with Yjs relative positions (and so in Monaco); deleted text around it pulls it to the deletion's start.
 */
export function transformOffset(offset: number, delta: readonly DeltaOperation[]): number {
  let position = 0;
  let result = offset;
  for (const operation of delta) {
    if (position > offset) break;
    if (operation.retain !== undefined) {
      position += operation.retain;
    } else if (operation.insert !== undefined) {
      const length = typeof operation.insert === 'string' ? operation.insert.length : 1;
      result += length;
    } else if (operation.delete !== undefined) {
      result -= Math.min(operation.delete, offset - position);
      position += operation.delete;
    }
  }
  return result;
}
