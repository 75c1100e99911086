import * as decoding from 'lib0/decoding';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../../shared/protocol.js';
import type { Session } from '../sessions/session.js';
import { applyClientUpdate, type UpdateLimits } from './apply-update.js';
import { expectEnd, readVarBytes, readVarUint } from './bounded-decoding.js';
import { encodeAwarenessFrame } from './messages.js';
import { OK, type Outcome, type Peer, refuse } from './peer.js';

/**
 * The y-websocket protocol, server side, as a function of (session, sender, frame): no sockets, no timers.
 * Every frame is decoded completely before anything is applied; a frame that is not exactly one of the
 * messages below refuses the sender and changes nothing.
 *
 * - sync step 1 (state vector) → answered with sync step 2 (what the sender lacks)
 * - sync step 2 / update → validated, applied, relayed to the other peers (by the session)
 * - awareness → validated against ownership, applied, relayed
 * - query awareness → answered with every known awareness state
 */
export function handleMessage(
  session: Session,
  peer: Peer,
  frame: Uint8Array,
  limits: UpdateLimits,
): Outcome {
  const decoder = decoding.createDecoder(frame);
  try {
    const type = readVarUint(decoder);
    switch (type) {
      case MESSAGE_TYPES.SYNC:
        return handleSync(session, peer, frame, decoder, limits);
      case MESSAGE_TYPES.AWARENESS: {
        const update = readVarBytes(decoder);
        expectEnd(decoder);
        const outcome = session.awareness.apply(peer, update);
        if (outcome.ok && outcome.broadcast) {
          // Taken whole, the update is relayed in the frame it came in (read to its end above): one
          // encoding less per cursor move.
          const relayed = outcome.broadcast === update ? frame : encodeAwarenessFrame(outcome.broadcast);
          session.broadcast(relayed, peer);
        }
        return outcome.ok ? OK : outcome;
      }
      case MESSAGE_TYPES.QUERY_AWARENESS: {
        expectEnd(decoder);
        const states = session.awareness.encodeAll();
        if (states !== null) peer.send(encodeAwarenessFrame(states));
        return OK;
      }
      default:
        return refuse(CLOSE_CODES.PROTOCOL_ERROR, `unsupported message type ${type}`);
    }
  } catch (error) {
    return refuse(CLOSE_CODES.PROTOCOL_ERROR, `malformed frame: ${errorMessage(error)}`);
  }
}

function handleSync(
  session: Session,
  peer: Peer,
  frame: Uint8Array,
  decoder: decoding.Decoder,
  limits: UpdateLimits,
): Outcome {
  const syncType = readVarUint(decoder);
  const payload = readVarBytes(decoder);
  expectEnd(decoder);
  switch (syncType) {
    case SYNC_MESSAGE_TYPES.STEP1: {
      let answer: Uint8Array;
      try {
        answer = session.encodeSyncStep2For(payload);
      } catch (error) {
        return refuse(CLOSE_CODES.PROTOCOL_ERROR, `malformed state vector: ${errorMessage(error)}`);
      }
      session.sendWhenStored(peer, answer);
      return OK;
    }
    case SYNC_MESSAGE_TYPES.STEP2:
      // Relayed re-framed as an update: a step 2 would tell a syncing client it is synced.
      return applyClientUpdate(session, peer, payload, limits);
    case SYNC_MESSAGE_TYPES.UPDATE:
      // The frame was read to its end above: it is exactly this one update message.
      return applyClientUpdate(session, peer, payload, limits, frame);
    default:
      return refuse(CLOSE_CODES.PROTOCOL_ERROR, `unsupported sync message type ${syncType}`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
