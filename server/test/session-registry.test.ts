import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '../../shared/close-codes.js';
import { NO_PERSISTENCE, type SessionPersistence } from '../src/sessions/session-persistence.js';
import { SessionRegistry } from '../src/sessions/session-registry.js';
import { DurablePersistence } from '../src/store/durable-persistence.js';
import type { Peer } from '../src/sync/peer.js';
import { OutageStore } from './support/outage-store.js';
import { silentLogger } from './support/silent-logger.js';

const IDLE_TTL_MS = 60_000;

function makeRegistry(persistence: SessionPersistence = NO_PERSISTENCE): SessionRegistry {
  return new SessionRegistry({
    persistence,
    idleTtlMs: IDLE_TTL_MS,
    maxSessions: 3,
    awarenessLimits: { maxStateBytes: 4096, maxEntriesPerFrame: 10 },
    log: Fastify({ logger: { level: 'silent' } }).log,
  });
}

function makePeer(): Peer & { closes: number[] } {
  const closes: number[] = [];
  return { id: 'p', closes, send: () => {}, close: (code) => closes.push(code) };
}

describe('session registry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('unloads a session nobody opened after the idle time, leaving no timer behind', async () => {
    const registry = makeRegistry();
    const session = await registry.create({ content: 'x' });
    expect(registry.size).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(IDLE_TTL_MS);
    expect(registry.size).toBe(0);
    expect(session.isDestroyed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(await registry.load(session.id)).toBeNull();
  });

  it('keeps a session while someone is connected and starts the idle clock when the last one leaves', async () => {
    const registry = makeRegistry();
    const session = await registry.create({});
    const [a, b] = [makePeer(), makePeer()];
    session.join(a);
    session.join(b);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(IDLE_TTL_MS * 2);
    expect(registry.size).toBe(1);
    session.leave(a);
    expect(vi.getTimerCount()).toBe(0);
    session.leave(b);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(IDLE_TTL_MS - 1);
    session.join(a);
    expect(vi.getTimerCount()).toBe(0);
    session.leave(a);
    await vi.advanceTimersByTimeAsync(IDLE_TTL_MS);
    expect(registry.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('loads one session once when joins race for it', async () => {
    const registry = makeRegistry();
    const created = await registry.create({});
    const [first, second] = await Promise.all([registry.load(created.id), registry.load(created.id)]);
    expect(first).toBe(created);
    expect(second).toBe(created);
  });

  it('refuses to create past the session limit', async () => {
    const registry = makeRegistry();
    for (let i = 0; i < 3; i++) await registry.create({});
    await expect(registry.create({})).rejects.toThrow(/sessions are loaded/);
  });

  it('evicts a session: closes its peers with the given code and forgets it', async () => {
    const registry = makeRegistry();
    const session = await registry.create({});
    const peer = makePeer();
    session.join(peer);
    registry.evict(session.id, 4410, 'deleted');
    expect(peer.closes).toEqual([4410]);
    expect(registry.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops every timer on close', async () => {
    const registry = makeRegistry();
    await registry.create({});
    await registry.create({});
    expect(vi.getTimerCount()).toBe(2);
    await registry.close();
    expect(registry.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('session registry over a store', () => {
  it('does not bring back a session that was deleted while it was being loaded', async () => {
    const store = new OutageStore();
    const persistence = new DurablePersistence(store, {
      sessionTtlMs: 1_000_000,
      activityWriteIntervalMs: 60_000,
      compactAfterUpdates: 100,
      compactAfterBytes: 1024 * 1024,
      retryInitialMs: 10,
      retryMaxMs: 10,
      shutdownFlushMs: 1_000,
      log: silentLogger(),
    });
    const registry = makeRegistry(persistence);
    const { id } = await registry.create({ content: 'print(1)' });
    await registry.unload(id);

    let answer = () => {};
    store.readRoundTrip = new Promise((resolve) => {
      answer = resolve;
    });
    const loading = registry.load(id);
    // The join's load has read the document; its answer is still on its way when the owner deletes.
    await vi.waitFor(() => expect(store.documentReads).toBe(1));
    expect(await persistence.delete(id)).toBe(true);
    registry.evict(id, CLOSE_CODES.GONE, 'the session was deleted');
    answer();

    expect(await loading).toBeNull();
    expect(registry.peek(id)).toBeUndefined();
    expect(registry.size).toBe(0);
    store.readRoundTrip = null;
    expect(await registry.load(id)).toBeNull();
    expect(await store.getSession(id)).toBeNull();
    await registry.close();
  });
});
