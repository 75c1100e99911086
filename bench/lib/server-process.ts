/**
 * Starts a server under test as its own process, pinned to one CPU with `taskset`, and stops it.
 * Its output goes to a log file that is printed when something goes wrong.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface LaunchSpec {
  label: string;
  /** Arguments after `node`. */
  nodeArgs: string[];
  env: Record<string, string>;
  /** CPU list for `taskset -c`, or null to leave the process unpinned. */
  cpu: string | null;
  /** Runs after the process exited (temporary data folders). */
  cleanup?: () => void;
}

export interface RunningServer {
  pid: number;
  port: number;
  logFile: string;
  /** Stops the server; its log file is deleted unless `keepLog` (kept to look into a failure). */
  stop(keepLog?: boolean): Promise<void>;
  /** The last lines the server printed, for error messages. */
  logTail(): string;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export async function launchServer(spec: LaunchSpec): Promise<RunningServer> {
  const port = await freePort();
  const logFile = join(tmpdir(), `bench-${spec.label}-${port}.log`);
  const logFd = openSync(logFile, 'w');
  const command = spec.cpu === null ? process.execPath : 'taskset';
  const args = spec.cpu === null ? spec.nodeArgs : ['-c', spec.cpu, process.execPath, ...spec.nodeArgs];
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...spec.env, PORT: String(port) },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logTail = () => readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  try {
    await waitForPort(port, exited);
  } catch (error) {
    child.kill('SIGKILL');
    spec.cleanup?.();
    throw new Error(`${spec.label} did not start: ${(error as Error).message}\n${logTail()}`);
  }
  return {
    pid: pidOf(child),
    port,
    logFile,
    logTail,
    async stop(keepLog = false) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      spec.cleanup?.();
      if (!keepLog) rmSync(logFile, { force: true });
    },
  };
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('the server process has no pid');
  return child.pid;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, exited: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`exited with code ${exitCode}`);
    if (await canConnect(port)) return;
    await delay(50);
  }
  throw new Error(`port ${port} not open after ${READY_TIMEOUT_MS} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
