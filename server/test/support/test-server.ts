import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Environment, loadConfig } from '../../src/config.js';

export interface TestServer {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  readonly httpUrl: string;
  /** `ws://127.0.0.1:<port>/ws`, the base URL a WebsocketProvider takes. */
  readonly wsBaseUrl: string;
  createSession(body?: unknown): Promise<string>;
  close(): Promise<void>;
}

/** A tiny stand-in for the built client, so server tests do not depend on a client build. */
export function makeClientDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'code-collab-client-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'pyodide'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>code-collab</title>');
  writeFileSync(join(dir, 'assets', 'index-3f2a9c1b.js'), 'export {};');
  writeFileSync(join(dir, 'pyodide', 'pyodide.asm.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(join(dir, 'pyodide', 'pyodide.asm.mjs'), 'export {};');
  writeFileSync(join(dir, 'pyodide', 'python_stdlib.zip'), new Uint8Array([80, 75, 5, 6]));
  return dir;
}

/** Builds the app with test-friendly settings and listens on a free loopback port. */
export async function startServer(env: Environment = {}): Promise<TestServer> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CLIENT_DIR: makeClientDir(),
    STORE: 'memory',
    // Suites create many sessions from one address; the creation limit has its own test.
    SESSION_CREATES_PER_MINUTE: '100000',
    ...env,
  });
  const app = await buildApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const httpUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    httpUrl,
    wsBaseUrl: `ws://127.0.0.1:${address.port}/ws`,
    async createSession(body?: unknown) {
      const response = await fetch(`${httpUrl}/api/sessions`, {
        method: 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`session creation failed: ${response.status}`);
      return ((await response.json()) as { id: string }).id;
    },
    close: () => app.close(),
  };
}
