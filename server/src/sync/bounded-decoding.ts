import * as decoding from 'lib0/decoding';

/**
 * lib0's readers trust length prefixes: on a buffer that is a view into a larger one they read past the
 * end without throwing. These check every length against what is left, and refuse integers past 2^53.
 */
export class TruncatedFrameError extends Error {
  override readonly name = 'TruncatedFrameError';
}

export function remaining(decoder: decoding.Decoder): number {
  return decoder.arr.length - decoder.pos;
}

export function readVarUint(decoder: decoding.Decoder): number {
  if (remaining(decoder) <= 0) throw new TruncatedFrameError('frame ends inside an integer');
  // lib0 stops at the view's end and throws on values past MAX_SAFE_INTEGER.
  return decoding.readVarUint(decoder);
}

export function readVarBytes(decoder: decoding.Decoder): Uint8Array {
  const length = readVarUint(decoder);
  if (length > remaining(decoder))
    throw new TruncatedFrameError('length prefix points past the end of the frame');
  return decoding.readUint8Array(decoder, length);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readVarString(decoder: decoding.Decoder): string {
  return utf8.decode(readVarBytes(decoder));
}

export function expectEnd(decoder: decoding.Decoder): void {
  if (remaining(decoder) !== 0) throw new TruncatedFrameError('trailing bytes after the message');
}
