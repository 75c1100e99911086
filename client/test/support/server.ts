/**
 * The real server for browser tests: `buildApp(loadConfig(...))` listening on a free loopback port and
 * serving the production client build from dist/client (`npm test` builds it first), copied aside.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
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

/** How long to wait for a client build another process is writing right now. */
const BUILD_WAIT_MS = 120_000;
const BUILD_POLL_MS = 250;

/** True when `dir` holds an index.html and every asset it references. */
function isCompleteBuild(dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const assets = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)];
  return assets.every((match) => existsSync(join(dir, match[1]!)));
}

/**
 * A private copy of the client build. `vite build` empties dist/client before writing it, so a build
 * started by anyone else mid-test would otherwise pull the files from under the running server.
 */
async function snapshotClientBuild(): Promise<string> {
  const deadline = Date.now() + BUILD_WAIT_MS;
  for (;;) {
    if (isCompleteBuild(CLIENT_BUILD_DIR)) {
      const copy = mkdtempSync(join(tmpdir(), 'code-collab-client-'));
      try {
        cpSync(CLIENT_BUILD_DIR, copy, { recursive: true, filter: (source) => !source.endsWith('.map') });
        if (isCompleteBuild(copy)) return copy;
      } catch {
        // The build changed while it was copied; try again.
      }
      rmSync(copy, { recursive: true, force: true });
    }
    if (Date.now() > deadline) {
      throw new Error(
        `No client build in ${CLIENT_BUILD_DIR}. Run \`npm run build:client\` (npm test does it).`,
      );
    }
    await delay(BUILD_POLL_MS);
  }
}

/**
 * Starts the server on a free loopback port, serving a snapshot of the production client build.
 * `overrides` are environment variables as `loadConfig` reads them (a CLIENT_DIR among them is served as is).
 */
export async function startServer(overrides: Environment = {}): Promise<RunningServer> {
  const snapshot = overrides.CLIENT_DIR === undefined ? await snapshotClientBuild() : null;
  const removeSnapshot = () => {
    if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  };
  try {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      CLIENT_DIR: snapshot ?? undefined,
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
    const close = async () => {
      await app.close();
      removeSnapshot();
    };
    return { url: `http://127.0.0.1:${address.port}`, app, close };
  } catch (error) {
    removeSnapshot();
    throw error;
  }
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
