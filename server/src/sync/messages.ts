import { MESSAGE_TYPES, SYNC_MESSAGE_TYPES } from '../../../shared/protocol.js';

/**
 * Encoders for the frames the server sends. Each returns a fresh buffer that is sent as is to every peer
 * that needs it: a broadcast is encoded once, never once per recipient. Frames are written straight into
 * one buffer of the exact size (lib0's growable encoder would allocate and copy twice per frame).
 */

function varUintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

function writeVarUint(target: Uint8Array, offset: number, value: number): number {
  let rest = value;
  let position = offset;
  while (rest > 0x7f) {
    target[position++] = 0x80 | (rest & 0x7f);
    rest = Math.floor(rest / 0x80);
  }
  target[position++] = rest;
  return position;
}

/** `varUint(type) [varUint(subType)] varUint(payload.length) payload`, as y-protocols frames it. */
function frame(type: number, subType: number | null, payload: Uint8Array): Uint8Array {
  const headerLength =
    varUintLength(type) + (subType === null ? 0 : varUintLength(subType)) + varUintLength(payload.byteLength);
  const out = new Uint8Array(headerLength + payload.byteLength);
  let offset = writeVarUint(out, 0, type);
  if (subType !== null) offset = writeVarUint(out, offset, subType);
  offset = writeVarUint(out, offset, payload.byteLength);
  out.set(payload, offset);
  return out;
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
