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
  /** The last client stops reading from its socket for the whole schedule, then catches up. */
  readonly slowReader?: boolean;
}

function tcpSocketOf(provider: WebsocketProvider): { pause(): void; resume(): void } {
  return (provider.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
}

async function runSchedule({
  seed,
  clients: clientCount,
  steps,
  slowReader = false,
}: Schedule): Promise<void> {
  const gen = prng.create(seed);
  const id = await server.createSession({ content: 'seed text\n' });
  const clients: WebsocketProvider[] = Array.from({ length: clientCount }, () =>
    connectProvider(server.wsBaseUrl, id),
  );
  try {
    await waitForSync(...clients);
    const slow = slowReader ? clients.at(-1) : undefined;
    const slowSocket = slow ? tcpSocketOf(slow) : undefined;
    slowSocket?.pause();
    for (let step = 0; step < steps; step++) {
      const client = prng.oneOf(gen, clients);
      const text = client.doc.getText('code');
      const roll = prng.int32(gen, 0, 99);
      if (client === slow) {
        // It keeps typing while it does not read; its own updates still reach the others.
        text.insert(prng.int32(gen, 0, text.length), prng.word(gen, 1, 3));
      } else if (slowReader && roll < 10) {
        // Large pastes make the unread backlog grow quickly.
        text.insert(prng.int32(gen, 0, text.length), prng.word(gen, 2_000, 8_000));
      } else if (roll < 6) {
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
    slowSocket?.resume();
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

/** Runs a schedule with a fresh seed (or CONVERGENCE_SEED) and names the seed when it fails. */
async function runSeeded(schedule: Omit<Schedule, 'seed'>): Promise<void> {
  const seed = Number(process.env.CONVERGENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  try {
    await runSchedule({ seed, ...schedule });
  } catch (error) {
    throw new Error(`convergence failed with seed ${seed} (rerun with CONVERGENCE_SEED=${seed})`, {
      cause: error,
    });
  }
}

describe('randomised convergence', () => {
  it('ends with identical text for five clients editing, disconnecting and reconnecting', async () => {
    await runSeeded({ clients: 5, steps: 400 });
  });

  it('ends with identical text when one client stops reading for a while', async () => {
    await runSeeded({ clients: 4, steps: 300, slowReader: true });
  });
});
