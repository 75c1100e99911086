import { describe, expect, it } from 'vitest';
import { ConnectionBuckets, connectionRates } from './token-bucket.js';

const RATES = connectionRates({
  MAX_MESSAGES_PER_SECOND: 10,
  MAX_BYTES_PER_SECOND: 1_000,
  MAX_MESSAGE_BYTES: 1_500,
  MAX_AWARENESS_UPDATES_PER_SECOND: 2,
});

describe('ConnectionBuckets', () => {
  it('allows a burst of twice the frame rate, then refills at the rate', () => {
    const buckets = new ConnectionBuckets(RATES, 0);
    for (let i = 0; i < 20; i++) expect(buckets.takeFrame(1, 0)).toBe(true);
    expect(buckets.takeFrame(1, 0)).toBe(false);
    expect(buckets.takeFrame(1, 100)).toBe(true);
    expect(buckets.takeFrame(1, 100)).toBe(false);
  });

  it('limits bytes, with a burst that covers the largest frame', () => {
    const buckets = new ConnectionBuckets(RATES, 0);
    expect(buckets.takeFrame(2_000, 0)).toBe(true);
    expect(buckets.takeFrame(1, 0)).toBe(false);
    expect(buckets.takeFrame(500, 500)).toBe(true);
    expect(buckets.takeFrame(1, 500)).toBe(false);
  });

  it('limits awareness frames on their own rate, refilled by the same clock', () => {
    const buckets = new ConnectionBuckets(RATES, 0);
    for (let i = 0; i < 4; i++) expect(buckets.takeAwareness(0)).toBe(true);
    expect(buckets.takeAwareness(0)).toBe(false);
    // Time passing while other frames arrive counts for the awareness bucket too.
    expect(buckets.takeFrame(1, 250)).toBe(true);
    expect(buckets.takeAwareness(500)).toBe(true);
    expect(buckets.takeAwareness(500)).toBe(false);
  });

  it('never holds more than the burst however long it was idle', () => {
    const buckets = new ConnectionBuckets(RATES, 0);
    expect(buckets.takeFrame(1, 3_600_000)).toBe(true);
    for (let i = 0; i < 19; i++) expect(buckets.takeFrame(1, 3_600_000)).toBe(true);
    expect(buckets.takeFrame(1, 3_600_000)).toBe(false);
  });
});
