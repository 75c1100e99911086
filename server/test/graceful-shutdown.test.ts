import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/close-codes.js';
import { openRawClient } from './support/raw-client.js';
import { makeClientDir } from './support/test-server.js';

let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the real process entry and resolves with its address once it logs that it is listening. */
async function startProcess(): Promise<{ process: ChildProcess; httpUrl: string }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CLIENT_DIR: makeClientDir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  const lines = createInterface({ input: started.stdout! });
  for await (const line of lines) {
    const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (match) return { process: started, httpUrl: match[1]! };
  }
  throw new Error('the server exited before listening');
}

describe('the process entry', () => {
  it('closes sockets with 1012 on SIGTERM and exits cleanly', async () => {
    const { process: server, httpUrl } = await startProcess();
    const created = await fetch(`${httpUrl}/api/sessions`, { method: 'POST' });
    const { id } = (await created.json()) as { id: string };
    const client = await openRawClient(`${httpUrl.replace('http', 'ws')}/ws/${id}`);
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    expect((await client.closed).code).toBe(CLOSE_CODES.SERVICE_RESTART);
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('refuses to start with an invalid configuration, naming the variable', async () => {
    const started = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(started, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('PORT');
  });
});
