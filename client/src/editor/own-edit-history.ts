/**
 * The undo history of this person's own edits of the code. One Y.UndoManager per session page, shared by
 * the plain view shown while Monaco loads and then by Monaco: each view adds the origin of its edits, so
 * what was typed before the swap can still be undone after it. Remote edits are never tracked: undo must
 * not take back a collaborator's typing.
 *
 * Each history entry remembers where the caret was (as a Yjs relative position, so it survives later
 * edits), and the view that undoes it puts the caret back there.
 */
import * as Y from 'yjs';

/** Consecutive keystrokes closer than this are undone together, like in a plain editor. */
export const UNDO_CAPTURE_TIMEOUT_MS = 500;

const CARET_META = 'caret';

/** What Yjs keeps per undo step; `meta` is ours to fill. */
export interface HistoryEntry {
  meta: Map<unknown, unknown>;
}

/** A history tracking no origin yet: the views add theirs. */
export function createOwnEditHistory(text: Y.Text): Y.UndoManager {
  return new Y.UndoManager(text, { trackedOrigins: new Set(), captureTimeout: UNDO_CAPTURE_TIMEOUT_MS });
}

export function rememberCaret(entry: HistoryEntry, text: Y.Text, offset: number): void {
  entry.meta.set(CARET_META, Y.createRelativePositionFromTypeIndex(text, offset));
}

/** The caret offset `entry` remembered, in the text as it is now; null if none or no longer in `text`. */
export function rememberedCaret(entry: HistoryEntry, text: Y.Text): number | null {
  const relative = entry.meta.get(CARET_META);
  if (!(relative instanceof Y.RelativePosition) || !text.doc) return null;
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, text.doc);
  return absolute && absolute.type === text ? absolute.index : null;
}
