import * as prng from 'lib0/prng';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { codeOf, connectProvider, destroyAll, waitForSync } from './support/providers.js';
import { startServer, type TestServer } from './support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

/** Lets socket events run between scheduled actions, so edits really interleave with traffic. */
const yieldToNetwork = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Schedule {
  readonly seed: number;
  readonly clients: number;
  readonly steps: number;
}

async function runSchedule({ seed, clients: clientCount, steps }: Schedule): Promise<void> {
  const gen = prng.create(seed);
  const id = await server.createSession({ content: 'seed text\n' });
  const clients: WebsocketProvider[] = Array.from({ length: clientCount }, () =>
    connectProvider(server.wsBaseUrl, id),
  );
  try {
    await waitForSync(...clients);
    for (let step = 0; step < steps; step++) {
      const client = prng.oneOf(gen, clients);
      const text = client.doc.getText('code');
      const roll = prng.int32(gen, 0, 99);
      if (roll < 6) {
        if (client.shouldConnect) client.disconnect();
        else client.connect();
      } else if (roll < 30 && text.length > 0) {
        const index = prng.int32(gen, 0, text.length - 1);
        text.delete(index, prng.int32(gen, 1, Math.min(5, text.length - index)));
      } else {
        text.insert(prng.int32(gen, 0, text.length), prng.word(gen, 1, 6));
      }
      if (prng.int32(gen, 0, 3) === 0) await yieldToNetwork();
    }
    for (const client of clients) if (!client.shouldConnect) client.connect();
    await waitForSync(...clients);
    await vi.waitFor(() => expect(new Set(clients.map(codeOf)).size).toBe(1), { timeout: 15_000 });
    const serverDoc = server.app.sessionRegistry.peek(id)?.doc;
    expect(serverDoc?.getText('code').toString()).toBe(codeOf(clients[0]!));
    const late = connectProvider(server.wsBaseUrl, id);
    clients.push(late);
    await waitForSync(late);
    await vi.waitFor(() => expect(codeOf(late)).toBe(codeOf(clients[0]!)));
  } finally {
    destroyAll(clients);
  }
}

describe('randomised convergence', () => {
  it('ends with identical text for five clients editing, disconnecting and reconnecting', async () => {
    const seed = Number(process.env.CONVERGENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    try {
      await runSchedule({ seed, clients: 5, steps: 400 });
    } catch (error) {
      throw new Error(`convergence failed with seed ${seed} (rerun with CONVERGENCE_SEED=${seed})`, {
        cause: error,
      });
    }
  });
});
