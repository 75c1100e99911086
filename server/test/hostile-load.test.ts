import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_PERSISTENCE } from '../src/sessions/session-persistence.js';
import { SessionRegistry } from '../src/sessions/session-registry.js';
import { retainedHeapBytes } from './support/memory.js';
import { connectProvider, destroyAll, waitForSync } from './support/providers.js';
import { startServer, type TestServer } from './support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  // Unloaded sessions live on in the store's file, not in this process's memory.
  const dataDir = mkdtempSync(join(tmpdir(), 'code-collab-data-'));
  server = await startServer({ IDLE_SESSION_TTL_MS: '5000', STORE: 'sqlite', DATA_DIR: dataDir });
});

afterAll(async () => {
  await server.close();
});

describe('abandoned sessions', () => {
  it('unloads 1,000 sessions created over HTTP that nobody uses any more', async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const created = await Promise.all(
        Array.from({ length: 50 }, () => server.createSession({ content: 'x'.repeat(2_000) })),
      );
      ids.push(...created);
    }
    // Some are opened and left again, some never opened at all.
    const visitors = ids.slice(-20).map((id) => connectProvider(server.wsBaseUrl, id));
    await waitForSync(...visitors);
    destroyAll(visitors);
    expect(new Set(ids).size).toBe(1_000);
    await expect.poll(() => server.app.sessionRegistry.size, { timeout: 60_000, interval: 200 }).toBe(0);
  }, 150_000);

  it('gives the memory of 1,000 idle-unloaded documents back', async () => {
    const registry = new SessionRegistry({
      persistence: NO_PERSISTENCE,
      idleTtlMs: 5_000,
      maxSessions: 10_000,
      awarenessLimits: { maxStateBytes: 4096, maxEntriesPerFrame: 10 },
      log: Fastify({ logger: { level: 'silent' } }).log,
    });
    const baseline = retainedHeapBytes();
    for (let i = 0; i < 1_000; i++) await registry.create({ content: `${i}:${'x'.repeat(2_000)}` });
    const loaded = retainedHeapBytes() - baseline;
    expect(registry.size).toBe(1_000);
    await expect.poll(() => registry.size, { timeout: 30_000, interval: 100 }).toBe(0);
    const left = retainedHeapBytes() - baseline;
    expect(left).toBeLessThan(loaded / 4);
  }, 60_000);
});
