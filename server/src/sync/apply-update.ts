import { CLOSE_CODES } from '../../../shared/close-codes.js';
import type { Session } from '../sessions/session.js';
import { OK, type Outcome, type Peer, refuse } from './peer.js';
import { validateUpdate } from './update-validation.js';

export interface UpdateLimits {
  readonly maxDocumentBytes: number;
  readonly maxRunOutputBytes: number;
}

/**
 * Applies one client update to the session's document, or refuses it with the document byte-for-byte
 * untouched: validation (decoding, schema, dependencies, size) happens entirely before `applyUpdate`.
 */
export function applyClientUpdate(
  session: Session,
  peer: Peer,
  update: Uint8Array,
  limits: UpdateLimits,
  /** The sync-update frame that carried `update`, relayed as is when possible; `null` to frame it anew. */
  frame: Uint8Array | null = null,
): Outcome {
  // What a fresh client answers to our sync step 1: nothing to validate, apply, relay or store, and
  // applying it would still run a transaction over the whole document.
  if (isEmptyUpdate(update)) return OK;
  const validity = validateUpdate(session.doc, session.rootOfType, update, limits.maxRunOutputBytes);
  if (!validity.ok) return validity;
  if (!session.fitsUpdate(update.byteLength, limits.maxDocumentBytes)) {
    return refuse(CLOSE_CODES.DOCUMENT_TOO_LARGE, 'the update would take the document past its size limit');
  }
  try {
    session.applyFromPeer(update, peer, validity.onlyNewItems, frame);
  } catch (error) {
    // Validation should make this unreachable; if Yjs still throws, the sender is cut off.
    return refuse(
      CLOSE_CODES.INVALID_UPDATE,
      `update failed to apply: ${error instanceof Error ? error.message : error}`,
    );
  }
  return OK;
}

/** A V1 update with no structs and an empty delete set: zero clients of each. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}
