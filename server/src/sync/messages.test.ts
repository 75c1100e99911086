import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { encodeAwarenessFrame, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './messages.js';

/** What y-protocols itself writes, for comparison. */
function reference(type: number, subType: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (subType !== null) encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

describe('frame encoders', () => {
  it.each([0, 1, 127, 128, 300, 16_383, 16_384, 70_000, 2_100_000])(
    'write the same bytes as lib0 for a %i-byte payload',
    (size) => {
      const payload = new Uint8Array(size).map((_, index) => index % 251);
      // Buffer comparison: a deep equality of megabyte arrays is too slow to be useful.
      const same = (actual: Uint8Array, expected: Uint8Array) =>
        Buffer.from(actual).equals(Buffer.from(expected));
      expect(same(encodeSyncStep1(payload), reference(0, 0, payload))).toBe(true);
      expect(same(encodeSyncStep2(payload), reference(0, 1, payload))).toBe(true);
      expect(same(encodeSyncUpdate(payload), reference(0, 2, payload))).toBe(true);
      expect(same(encodeAwarenessFrame(payload), reference(1, null, payload))).toBe(true);
    },
  );
});
