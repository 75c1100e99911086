import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { MemoryStore } from '../src/store/memory-store.js';
import { restoreDocument } from '../src/store/restore-document.js';
import { WriteQueue } from '../src/store/write-queue.js';
import { OutageStore } from './support/outage-store.js';

async function storeWithSession(): Promise<{ store: OutageStore; doc: Y.Doc; updates: Uint8Array[] }> {
  const store = new OutageStore();
  const doc = new Y.Doc();
  await store.createSession(
    { id: 's', createdAt: 0, lastActiveAt: 0, expiresAt: 1, language: 'javascript', ownerTokenHash: '' },
    Y.encodeStateAsUpdate(doc),
  );
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { store, doc, updates };
}

function type(doc: Y.Doc, text: string): void {
  for (const char of text) doc.getText('code').insert(doc.getText('code').length, char);
}

async function storedText(store: MemoryStore): Promise<string> {
  const doc = new Y.Doc();
  restoreDocument('s', doc, await store.loadDocument('s'));
  return doc.getText('code').toString();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('write queue', () => {
  it('commits the ops of one turn as one batch and resolves their promises in order', async () => {
    const { store, doc, updates } = await storeWithSession();
    const queue = new WriteQueue(store, { retryInitialMs: 10, retryMaxMs: 100 });
    type(doc, 'abc');
    const resolved: number[] = [];
    const promises = updates.map((update, index) =>
      queue.enqueue({ type: 'append', sessionId: 's', update }).then(() => resolved.push(index)),
    );
    expect(queue.pendingOps).toBe(3);
    await Promise.all(promises);
    expect(store.batches).toEqual([3]);
    expect(resolved).toEqual([0, 1, 2]);
    expect(await storedText(store)).toBe('abc');
    expect(queue.pendingOps).toBe(0);
  });

  it('keeps failed writes, retries with capped exponential backoff and commits everything once', async () => {
    vi.useFakeTimers();
    const { store, doc, updates } = await storeWithSession();
    const delays: number[] = [];
    let recoveredAfter = 0;
    const queue = new WriteQueue(store, {
      retryInitialMs: 100,
      retryMaxMs: 300,
      onFailure: (_error, _attempt, retryInMs) => delays.push(retryInMs),
      onRecovered: (attempts) => {
        recoveredAfter = attempts;
      },
    });
    store.down = true;
    type(doc, 'ab');
    let committed = false;
    const first = Promise.all(
      updates.map((update) => queue.enqueue({ type: 'append', sessionId: 's', update })),
    );
    void first.then(() => {
      committed = true;
    });

    await vi.advanceTimersByTimeAsync(0);
    expect(queue.failing).toBe(true);
    expect(String(queue.lastError)).toContain('connection refused');
    await vi.advanceTimersByTimeAsync(100 + 200 + 300);
    expect(delays).toEqual([100, 200, 300, 300]);
    expect(committed).toBe(false);

    // Typed during the outage: joins the failed batch and commits after it.
    type(doc, 'c');
    const later = queue.enqueue({ type: 'append', sessionId: 's', update: updates[2]! });
    expect(queue.pendingOps).toBe(3);
    store.down = false;
    await vi.advanceTimersByTimeAsync(300);
    await later;
    expect(committed).toBe(true);
    expect(recoveredAfter).toBe(4);
    expect(queue.failing).toBe(false);
    expect(store.batches).toEqual([3]);
    expect(await storedText(store)).toBe('abc');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps callers in order across a failure: queued during the failed round trip, then during the backoff', async () => {
    vi.useFakeTimers();
    const { store, doc, updates } = await storeWithSession();
    const queue = new WriteQueue(store, { retryInitialMs: 100, retryMaxMs: 100 });
    let finishRoundTrip!: () => void;
    store.roundTrip = new Promise((resolve) => {
      finishRoundTrip = resolve;
    });
    store.down = true;
    type(doc, 'abc');
    const order: string[] = [];
    const track = (label: string, update: Uint8Array) =>
      queue.enqueue({ type: 'append', sessionId: 's', update }).then(() => order.push(label));
    const first = track('a', updates[0]!);
    await vi.advanceTimersByTimeAsync(0);
    // The first batch is in flight: this one starts a batch of its own.
    const second = track('b', updates[1]!);
    finishRoundTrip();
    store.roundTrip = null;
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.failing).toBe(true);
    // Queued during the backoff, after both.
    const third = track('c', updates[2]!);
    store.down = false;
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all([first, second, third]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(await storedText(store)).toBe('abc');
  });

  it('drain waits for queued writes and retries a failed batch at once instead of after its backoff', async () => {
    vi.useFakeTimers();
    const { store, doc, updates } = await storeWithSession();
    const queue = new WriteQueue(store, { retryInitialMs: 60_000, retryMaxMs: 60_000 });
    store.down = true;
    type(doc, 'x');
    void queue.enqueue({ type: 'append', sessionId: 's', update: updates[0]! });
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.failing).toBe(true);

    store.down = false;
    const drained = queue.drain();
    await vi.advanceTimersByTimeAsync(0);
    await drained;
    expect(await storedText(store)).toBe('x');
    expect(vi.getTimerCount()).toBe(0);
    await expect(queue.drain()).resolves.toBeUndefined();
  });

  it('stop leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { store, doc, updates } = await storeWithSession();
    const queue = new WriteQueue(store, { retryInitialMs: 1_000, retryMaxMs: 1_000 });
    store.down = true;
    type(doc, 'y');
    void queue.enqueue({ type: 'append', sessionId: 's', update: updates[0]! });
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    queue.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
