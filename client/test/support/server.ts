/**
 * The real server for browser tests: `buildApp(loadConfig(...))` listening on a free loopback port and
 * serving the production client build from dist/client (`npm test` builds it first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/src/app.js';
import { type Environment, loadConfig } from '../../../server/src/config.js';
import type { CreateSessionRequest, CreateSessionResponse } from '../../../shared/api.js';

export const CLIENT_BUILD_DIR = fileURLToPath(new URL('../../../dist/client/', import.meta.url));

export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the server; `overrides` are environment variables as `loadConfig` reads them. */
export async function startServer(overrides: Environment = {}): Promise<RunningServer> {
  if (!existsSync(`${CLIENT_BUILD_DIR}index.html`)) {
    throw new Error(
      `No client build in ${CLIENT_BUILD_DIR}. Run \`npm run build:client\` (npm test does it).`,
    );
  }
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CLIENT_DIR: CLIENT_BUILD_DIR,
    // Sessions of browser tests need not outlive the test; nothing is written to ./data.
    STORE: 'memory',
    ...overrides,
  });
  const app = await buildApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error('The server has no TCP address.');
  }
  return { url: `http://127.0.0.1:${address.port}`, app, close: () => app.close() };
}

/** Creates a session through the REST API, as the start page does. */
export async function createSession(
  baseUrl: string,
  body: CreateSessionRequest = {},
): Promise<CreateSessionResponse> {
  const response = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`Creating a session failed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as CreateSessionResponse;
}
