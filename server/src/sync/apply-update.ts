import * as Y from 'yjs';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import type { Session } from '../sessions/session.js';
import { OK, type Outcome, type Peer, refuse } from './peer.js';

export interface UpdateLimits {
  readonly maxDocumentBytes: number;
}

/**
 * Applies one client update to the session's document, or refuses it with the document untouched.
 * The update is decoded completely first: Yjs would otherwise integrate the valid head of a malformed
 * update, relay it, and only then fail on its tail.
 */
export function applyClientUpdate(
  session: Session,
  peer: Peer,
  update: Uint8Array,
  limits: UpdateLimits,
): Outcome {
  try {
    Y.decodeUpdate(update);
  } catch (error) {
    return refuse(
      CLOSE_CODES.INVALID_UPDATE,
      `undecodable update: ${error instanceof Error ? error.message : error}`,
    );
  }
  if (session.documentBytes + update.byteLength > limits.maxDocumentBytes) {
    return refuse(CLOSE_CODES.DOCUMENT_TOO_LARGE, 'the update would take the document past its size limit');
  }
  try {
    Y.applyUpdate(session.doc, update, peer);
  } catch (error) {
    return refuse(
      CLOSE_CODES.INVALID_UPDATE,
      `update failed to apply: ${error instanceof Error ? error.message : error}`,
    );
  }
  return OK;
}
