import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DurablePersistence } from '../src/store/durable-persistence.js';
import { restoreDocument } from '../src/store/restore-document.js';
import { OutageStore } from './support/outage-store.js';
import { codeOf, connectProvider, destroyAll, waitForSync } from './support/providers.js';
import { silentLogger } from './support/silent-logger.js';
import { makeClientDir } from './support/test-server.js';

const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWith(
  store: OutageStore,
): Promise<{ app: FastifyInstance; httpUrl: string; wsBaseUrl: string }> {
  const config = loadConfig({ LOG_LEVEL: 'silent', CLIENT_DIR: makeClientDir(), STORE: 'memory' });
  const persistence = new DurablePersistence(store, {
    sessionTtlMs: config.limits.SESSION_TTL_MS,
    activityWriteIntervalMs: config.limits.ACTIVITY_WRITE_INTERVAL_MS,
    compactAfterUpdates: config.limits.COMPACT_AFTER_UPDATES,
    compactAfterBytes: config.limits.COMPACT_AFTER_BYTES,
    retryInitialMs: 20,
    retryMaxMs: 50,
    shutdownFlushMs: 500,
    log: silentLogger(),
  });
  const app = await buildApp(config, { persistence });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { app, httpUrl: `http://127.0.0.1:${address.port}`, wsBaseUrl: `ws://127.0.0.1:${address.port}/ws` };
}

describe('a store that fails to take writes', () => {
  it('holds updates back from peers, reports it in /readyz and /metrics, and catches up when it recovers', async () => {
    const store = new OutageStore();
    const server = await startWith(store);
    const created = await fetch(`${server.httpUrl}/api/sessions`, { method: 'POST' });
    const { id } = (await created.json()) as { id: string };
    const writer = connectProvider(server.wsBaseUrl, id);
    const reader = connectProvider(server.wsBaseUrl, id);
    cleanups.push(() => destroyAll([writer, reader]));
    await waitForSync(writer, reader);

    store.down = true;
    writer.doc.getText('code').insert(0, 'typed during the outage');
    await vi.waitFor(async () => {
      const ready = await fetch(`${server.httpUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { detail: string }).detail).toMatch(/store is failing/);
    });
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^codecollab_store_failing 1$/m);
    expect(metrics).toMatch(/^codecollab_store_pending_writes [1-9]/m);
    expect(metrics).toMatch(/^codecollab_store_write_failures_total [1-9]/m);
    // The failed write has been attempted: the update it carries was not passed on.
    expect(codeOf(reader)).toBe('');
    // Nor does a newcomer's first sync answer show it. The server handles a connection's frames in order,
    // so once the others see the newcomer's presence, its sync request has been handled too.
    const late = connectProvider(server.wsBaseUrl, id);
    late.awareness.setLocalStateField('user', { name: 'Late', color: '#336699' });
    cleanups.push(() => destroyAll([late]));
    await vi.waitFor(() => {
      const names = [...writer.awareness.getStates().values()].map((state) => state.user?.name);
      expect(names).toContain('Late');
    });
    expect(late.synced).toBe(false);
    expect(codeOf(late)).toBe('');

    store.down = false;
    await vi.waitFor(() => expect(codeOf(reader)).toBe('typed during the outage'));
    await vi.waitFor(() => expect(codeOf(late)).toBe('typed during the outage'));
    await vi.waitFor(async () => expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(200));
    const stored = new Y.Doc();
    restoreDocument(id, stored, await store.loadDocument(id));
    expect(stored.getText('code').toString()).toBe('typed during the outage');
  });

  it('still shuts down, within its flush time, when queued writes keep failing', async () => {
    const store = new OutageStore();
    const server = await startWith(store);
    const created = await fetch(`${server.httpUrl}/api/sessions`, { method: 'POST' });
    const { id } = (await created.json()) as { id: string };
    const writer = connectProvider(server.wsBaseUrl, id);
    cleanups.push(() => destroyAll([writer]));
    await waitForSync(writer);
    store.down = true;
    writer.doc.getText('code').insert(0, 'never stored');
    await vi.waitFor(async () => expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(503));
    // Resolves (the flush gives up after shutdownFlushMs) instead of waiting for the store forever.
    await server.app.close();
    expect(server.app.server.listening).toBe(false);
  });
});
