/**
 * Reads a peer's `selection` awareness field (y-monaco's format: `{ anchor, head }`, each a Yjs relative
 * position as JSON) into offsets in our Y.Text. Anything malformed, from another document or out of range
 * yields `null` instead of throwing, so one broken peer cannot stop the cursors of the others.
 */
import * as Y from 'yjs';

export interface TextSelection {
  anchor: number;
  head: number;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isId(value: unknown): boolean {
  return isRecord(value) && isNonNegativeInteger(value.client) && isNonNegativeInteger(value.clock);
}

function parseRelativePosition(value: unknown): Y.RelativePosition | null {
  if (!isRecord(value)) return null;
  const { type, tname, item, assoc } = value;
  if (type != null && !isId(type)) return null;
  if (tname != null && typeof tname !== 'string') return null;
  if (item != null && !isId(item)) return null;
  if (assoc != null && !(typeof assoc === 'number' && Number.isSafeInteger(assoc))) return null;
  if (type == null && tname == null && item == null) return null;
  return Y.createRelativePositionFromJSON(value);
}

function toIndex(value: unknown, text: Y.Text): number | null {
  const relative = parseRelativePosition(value);
  if (!relative || !text.doc) return null;
  try {
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, text.doc);
    if (!absolute || absolute.type !== text) return null;
    return absolute.index >= 0 && absolute.index <= text.length ? absolute.index : null;
  } catch {
    return null;
  }
}

export function parseRemoteSelection(state: unknown, text: Y.Text): TextSelection | null {
  if (!isRecord(state) || !isRecord(state.selection)) return null;
  const anchor = toIndex(state.selection.anchor, text);
  const head = toIndex(state.selection.head, text);
  return anchor === null || head === null ? null : { anchor, head };
}

/** The awareness field for our own selection, in the same format. */
export function localSelectionField(text: Y.Text, anchor: number, head: number): JsonRecord {
  return {
    anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, anchor)),
    head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, head)),
  };
}
