/**
 * The three servers measured side by side: how to start each one and how to open a room on it.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateSessionResponse } from '../../shared/api.js';
import { websocketPath } from '../../shared/session-id.js';
import type { LaunchSpec } from './server-process.js';
import { type Dialect, HOCUSPOCUS, Y_WEBSOCKET } from './wire.js';

export type TargetId = 'ours' | 'ours-memory' | 'ours-alt' | 'y-websocket-server' | 'hocuspocus';

export interface Room {
  room: string;
  roomPath: string;
}

export interface Target {
  id: TargetId;
  label: string;
  dialect: Dialect;
  launch(cpu: string | null, extraNodeArgs: string[]): LaunchSpec;
  createRoom(port: number): Promise<Room>;
}

/**
 * Limits of our server that would throttle the load generator itself (every client comes from 127.0.0.1,
 * and one scenario creates 1,000 sessions at once). They are raised through the documented environment
 * variables; every protection stays switched on.
 */
export const OURS_LIMIT_OVERRIDES: Readonly<Record<string, string>> = {
  MAX_CONNECTIONS_PER_IP: '5000',
  SESSION_CREATES_PER_MINUTE: '5000',
  API_REQUESTS_PER_MINUTE: '5000',
  MAX_PEERS_PER_SESSION: '64',
};

/** Settings that only change what the server prints. */
const OURS_QUIET = { LOG_LEVEL: 'warn' } as const;

export const OURS_ENTRY = 'dist/server/server/src/main.js';

/** Our server from its compiled build, with its default durable store in a fresh temporary folder. */
export const OURS: Target = oursWith('ours', 'code-collab', 'sqlite');

/** The same with the in-memory store, like the peers (which keep nothing on disk). */
export const OURS_MEMORY: Target = oursWith('ours-memory', 'code-collab (memory store)', 'memory');

/**
 * Another build of ours, for A/B comparisons of a change: `BENCH_ALT_ENTRY=/tmp/other/dist/server/server/
 * src/main.js npm run bench -- --servers ours,ours-alt cost-per-edit`. `BENCH_ALT_STORE=memory` runs it on
 * the memory store, to compare it with `ours-memory`.
 */
export const OURS_ALT: Target = oursWith(
  'ours-alt',
  'code-collab (BENCH_ALT_ENTRY)',
  process.env.BENCH_ALT_STORE === 'memory' ? 'memory' : 'sqlite',
  process.env.BENCH_ALT_ENTRY ?? '',
);

function oursWith(id: TargetId, label: string, store: 'sqlite' | 'memory', entry = OURS_ENTRY): Target {
  return {
    id,
    label,
    dialect: Y_WEBSOCKET,
    launch: (cpu, extraNodeArgs) => {
      if (!existsSync(entry))
        throw new Error(`${entry || 'BENCH_ALT_ENTRY'} is missing: run \`npm run build:server\``);
      const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
      return {
        label: id,
        nodeArgs: [...extraNodeArgs, entry],
        env: { HOST: '127.0.0.1', STORE: store, DATA_DIR: dataDir, ...OURS_QUIET, ...OURS_LIMIT_OVERRIDES },
        cpu,
        cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
    createRoom: createOurSession,
  };
}

async function createOurSession(port: number): Promise<Room> {
  const response = await fetch(`http://127.0.0.1:${port}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (response.status !== 201) {
    throw new Error(`POST /api/sessions answered ${response.status}: ${await response.text()}`);
  }
  const { id } = (await response.json()) as CreateSessionResponse;
  return { room: id, roomPath: websocketPath(id) };
}

export const Y_WEBSOCKET_SERVER: Target = {
  id: 'y-websocket-server',
  label: '@y/websocket-server 0.1.1',
  dialect: Y_WEBSOCKET,
  launch: (cpu, extraNodeArgs) => ({
    label: 'y-websocket-server',
    nodeArgs: [...extraNodeArgs, 'node_modules/@y/websocket-server/src/server.js'],
    env: { HOST: '127.0.0.1' },
    cpu,
  }),
  createRoom: async () => {
    const room = randomRoomName();
    return { room, roomPath: `/${room}` };
  },
};

/** Hocuspocus in its default configuration; only the port and the start-up banner are set. */
const HOCUSPOCUS_MAIN = [
  "import { Server } from '@hocuspocus/server';",
  "const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true });",
  'await server.listen();',
].join('\n');

export const HOCUSPOCUS_SERVER: Target = {
  id: 'hocuspocus',
  label: '@hocuspocus/server',
  dialect: HOCUSPOCUS,
  launch: (cpu, extraNodeArgs) => ({
    label: 'hocuspocus',
    nodeArgs: [...extraNodeArgs, '--input-type=module', '-e', HOCUSPOCUS_MAIN],
    env: {},
    cpu,
  }),
  createRoom: async () => ({ room: randomRoomName(), roomPath: '' }),
};

/** Measured by default; `--servers` can add `ours-memory`. */
export const DEFAULT_TARGETS: readonly Target[] = [OURS, Y_WEBSOCKET_SERVER, HOCUSPOCUS_SERVER];
export const TARGETS: readonly Target[] = [...DEFAULT_TARGETS, OURS_MEMORY, OURS_ALT];

function randomRoomName(): string {
  return `bench-${randomBytes(8).toString('hex')}`;
}
