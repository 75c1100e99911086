import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../../shared/protocol.js';

/**
 * Encoders for the frames the server sends. Each returns a fresh buffer that is sent as is to every peer
 * that needs it: a broadcast is encoded once, never once per recipient.
 */

function frame(type: number, subType: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (subType !== null) encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame(MESSAGE_TYPES.SYNC, SYNC_MESSAGE_TYPES.STEP1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_TYPES.SYNC, SYNC_MESSAGE_TYPES.STEP2, update);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_TYPES.SYNC, SYNC_MESSAGE_TYPES.UPDATE, update);
}

export function encodeAwarenessFrame(awarenessUpdate: Uint8Array): Uint8Array {
  return frame(MESSAGE_TYPES.AWARENESS, null, awarenessUpdate);
}
