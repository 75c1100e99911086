import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket as NodeWebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { codeOf, connectProvider, destroyAll, waitForSync } from '../../server/test/support/providers.js';
import { makeClientDir, startServer, type TestServer } from '../../server/test/support/test-server.js';
import { type ConfigEdit, type NginxInstance, startNginx } from './support/nginx.js';

/** The WebSocket location's timeouts, shortened so idling past them takes seconds, not minutes. */
const READ_TIMEOUT_MS = 2_000;
const SHORT_WS_TIMEOUTS: ConfigEdit[] = [
  {
    file: 'code-collab/server.conf',
    from: 'proxy_read_timeout 90s;',
    to: `proxy_read_timeout ${READ_TIMEOUT_MS}ms;`,
  },
  {
    file: 'code-collab/server.conf',
    from: 'proxy_send_timeout 90s;',
    to: `proxy_send_timeout ${READ_TIMEOUT_MS}ms;`,
  },
];

const cleanups: (() => Promise<void>)[] = [];
const providers: WebsocketProvider[] = [];

afterEach(async () => {
  destroyAll(providers.splice(0));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stack(
  env: Record<string, string>,
  edits: ConfigEdit[],
): Promise<{ server: TestServer; nginx: NginxInstance }> {
  const server = await startServer({ TRUST_PROXY: '127.0.0.1', ...env });
  cleanups.push(() => server.close());
  const nginx = await startNginx({
    upstream: new URL(server.httpUrl).host,
    staticRoot: makeClientDir(),
    edits,
  });
  cleanups.push(() => nginx.stop());
  return { server, nginx };
}

async function createSession(nginx: NginxInstance): Promise<string> {
  const response = await fetch(`${nginx.url}/api/sessions`, { method: 'POST' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** A y-websocket provider through nginx, recording every status change. */
function connect(nginx: NginxInstance, id: string): { provider: WebsocketProvider; statuses: string[] } {
  const provider = connectProvider(`${nginx.url.replace('http:', 'ws:')}/ws`, id);
  providers.push(provider);
  const statuses: string[] = [];
  provider.on('status', ({ status }: { status: string }) => statuses.push(status));
  return { provider, statuses };
}

async function connectedCount(nginx: NginxInstance, id: string): Promise<number> {
  const response = await fetch(`${nginx.url}/api/sessions/${id}`);
  return ((await response.json()) as { connections: number }).connections;
}

describe('WebSockets through nginx', () => {
  it('keep an idle connection open past proxy_read_timeout, because the app pings', async () => {
    const heartbeatMs = 500;
    const { nginx } = await stack({ HEARTBEAT_INTERVAL_MS: String(heartbeatMs) }, SHORT_WS_TIMEOUTS);
    const id = await createSession(nginx);
    const { provider, statuses } = connect(nginx, id);
    await waitForSync(provider);
    const socket = provider.ws as unknown as NodeWebSocket;
    let pings = 0;
    socket.on('ping', () => {
      pings += 1;
    });

    // Nothing but pings flows for three read timeouts.
    const pingsSpanningThreeTimeouts = (3 * READ_TIMEOUT_MS) / heartbeatMs;
    await vi.waitFor(
      () => {
        if (pings < pingsSpanningThreeTimeouts) throw new Error(`${pings} pings so far`);
      },
      { timeout: 20_000, interval: 100 },
    );

    expect(statuses).toEqual(['connected']);
    expect(provider.ws).toBe(socket);
    const { provider: other } = connect(nginx, id);
    await waitForSync(other);
    provider.doc.getText('code').insert(0, 'still here');
    await expect.poll(() => codeOf(other), { timeout: 5_000 }).toBe('still here');
  });

  it('are closed by nginx after proxy_read_timeout when nothing flows (the check above is not vacuous)', async () => {
    const { nginx } = await stack({ HEARTBEAT_INTERVAL_MS: '600000' }, SHORT_WS_TIMEOUTS);
    const id = await createSession(nginx);
    const { provider, statuses } = connect(nginx, id);
    await waitForSync(provider);
    await expect.poll(() => statuses, { timeout: 15_000, interval: 100 }).toContain('disconnected');
  });

  it('survive `nginx -s reload` mid-session: clients reconnect and converge, nothing is lost', async () => {
    const { nginx } = await stack({}, [
      { file: 'nginx.conf', from: 'worker_shutdown_timeout 30s;', to: 'worker_shutdown_timeout 1s;' },
    ]);
    const id = await createSession(nginx);
    const a = connect(nginx, id);
    const b = connect(nginx, id);
    await waitForSync(a.provider, b.provider);
    a.provider.doc.getText('code').insert(0, 'before reload\n');
    await expect.poll(() => codeOf(b.provider), { timeout: 5_000 }).toBe('before reload\n');

    await nginx.reload();
    // The old worker drops its WebSockets when worker_shutdown_timeout runs out.
    await expect
      .poll(() => a.statuses.includes('disconnected') && b.statuses.includes('disconnected'), {
        timeout: 15_000,
        interval: 50,
      })
      .toBe(true);
    // Edits made around the reconnect, on both sides.
    a.provider.doc.getText('code').insert(0, 'a during reconnect\n');
    b.provider.doc.getText('code').insert(0, 'b during reconnect\n');

    await waitForSync(a.provider, b.provider);
    await expect.poll(() => codeOf(a.provider) === codeOf(b.provider), { timeout: 10_000 }).toBe(true);
    for (const line of ['before reload', 'a during reconnect', 'b during reconnect']) {
      expect(codeOf(a.provider)).toContain(line);
    }
    expect(a.statuses.at(-1)).toBe('connected');
    expect(b.statuses.at(-1)).toBe('connected');
    // The old connections are gone from the app, not lingering beside the new ones.
    await expect.poll(() => connectedCount(nginx, id), { timeout: 10_000 }).toBe(2);
  });
});
