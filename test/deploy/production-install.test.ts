import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { codeOf, connectProvider, destroyAll, waitForSync } from '../../server/test/support/providers.js';
import { CLOSE_CODES } from '../../shared/close-codes.js';
import { securityHeadersFor } from '../../shared/security-headers.js';
import { rawRequest } from './support/http.js';
import {
  ancestorNodeModules,
  type ProductionServer,
  prepareProductionInstall,
  runHealthcheck,
  startProductionServer,
} from './support/production-install.js';

/**
 * What the Docker runtime stage assumes, proven without Docker: the built output runs on production
 * dependencies alone, answers the health check, syncs over WebSockets, keeps its data in DATA_DIR across a
 * restart and shuts down cleanly on SIGTERM.
 */
const INSTALL_TIMEOUT_MS = 300_000;

let installDir: string;
let dataDir: string;
let server: ProductionServer | undefined;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  installDir = await prepareProductionInstall();
  dataDir = await mkdtemp(join(installDir, 'data-'));
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  destroyAll(providers.splice(0));
  if (server !== undefined && server.process.exitCode === null) {
    server.process.kill('SIGKILL');
    await server.exited;
  }
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

function connect(url: string, id: string): { provider: WebsocketProvider; closeCodes: number[] } {
  const provider = connectProvider(`${url.replace('http:', 'ws:')}/ws`, id);
  providers.push(provider);
  const closeCodes: number[] = [];
  provider.on('connection-close', (event: { code: number } | null) => {
    if (event !== null) closeCodes.push(event.code);
  });
  return { provider, closeCodes };
}

describe('the production install (npm ci --omit=dev, as in the Docker runtime stage)', () => {
  it('has no node_modules above it to borrow dev dependencies from', () => {
    expect(ancestorNodeModules(installDir)).toEqual([]);
    expect(existsSync(join(installDir, 'node_modules/vite'))).toBe(false);
    expect(existsSync(join(installDir, 'node_modules/fastify'))).toBe(true);
  });

  it('serves, syncs, persists and stops on SIGTERM', { timeout: 60_000 }, async () => {
    server = await startProductionServer(installDir, { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const { url } = server;

    expect(await runHealthcheck(installDir, server.port), server.output()).toBe(0);
    const page = await rawRequest(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<!doctype html>');
    for (const [name, value] of Object.entries(securityHeadersFor('/'))) {
      expect(page.headers[name.toLowerCase()], name).toBe(value);
    }

    const created = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'print("hi")\n' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const a = connect(url, id);
    const b = connect(url, id);
    await waitForSync(a.provider, b.provider);
    expect(codeOf(b.provider)).toBe('print("hi")\n');
    a.provider.doc.getText('code').insert(0, '# edited\n');
    await expect.poll(() => codeOf(b.provider), { timeout: 5_000 }).toBe('# edited\nprint("hi")\n');
    expect(existsSync(join(dataDir, 'code-collab.sqlite'))).toBe(true);

    // docker stop: SIGTERM, sockets closed with "service restart", clean exit within the grace period.
    server.process.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
    expect(a.closeCodes).toContain(CLOSE_CODES.SERVICE_RESTART);
    destroyAll(providers.splice(0));

    // A new container on the same volume has the session.
    server = await startProductionServer(installDir, { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const c = connect(server.url, id);
    await waitForSync(c.provider);
    expect(codeOf(c.provider)).toBe('# edited\nprint("hi")\n');
    server.process.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
  });
});
