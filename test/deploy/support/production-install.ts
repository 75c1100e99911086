import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import {
  execForm,
  healthcheckCommand,
  instructions,
  lastInstruction,
  readDockerfile,
  stageEnv,
  stageNamed,
} from './dockerfile.js';

const run = promisify(execFile);
const REPO = new URL('../../../', import.meta.url).pathname;
/** The Dockerfile's runtime stage: its CMD, HEALTHCHECK, ENV and copies are what the tests run. */
const RUNTIME_STAGE = stageNamed(readDockerfile(), 'app');

/**
 * A directory laid out like the Docker runtime image's /app: package.json, the lockfile, `npm ci
 * --omit=dev` node_modules and the built dist/. It lives outside the repository, so Node cannot fall back
 * to the repository's node_modules: importing a dev dependency at runtime fails there as it would in the
 * image. The install is kept between runs for the same lockfile and Node version; dist/ is rebuilt every
 * time.
 */
export async function prepareProductionInstall(): Promise<string> {
  const clientIndex = join(REPO, 'dist/client/index.html');
  if (!existsSync(clientIndex))
    throw new Error('dist/client is missing: run `npm run build:client` (npm test does)');
  const [manifest, lockfile] = await Promise.all([
    readFile(join(REPO, 'package.json')),
    readFile(join(REPO, 'package-lock.json')),
  ]);
  // Scripts and the like do not change what gets installed; dependencies, the lockfile and Node do.
  const { dependencies } = JSON.parse(manifest.toString('utf8')) as { dependencies?: unknown };
  const key = createHash('sha256')
    .update(JSON.stringify(dependencies ?? {}))
    .update(lockfile)
    .update(process.version)
    .digest('hex');
  const dir = join(tmpdir(), `code-collab-production-${key.slice(0, 16)}`);
  const installed = join(dir, '.installed');
  if (!existsSync(installed)) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), manifest);
    await writeFile(join(dir, 'package-lock.json'), lockfile);
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    await installNativeAddons(dir);
    await writeFile(installed, new Date().toISOString());
  }
  await writeFile(join(dir, 'package.json'), manifest);
  await rm(join(dir, 'dist'), { recursive: true, force: true });
  // The same compiler run as `npm run build:server`, written straight into the install.
  const tsc = join(REPO, 'node_modules/.bin/tsc');
  await run(tsc, ['-p', join(REPO, 'server/tsconfig.build.json'), '--outDir', join(dir, 'dist/server')], {
    cwd: REPO,
  }).catch((error: { stdout?: string }) => {
    throw new Error(`the server build failed:\n${error.stdout ?? String(error)}`);
  });
  await cp(join(REPO, 'dist/client'), join(dir, 'dist/client'), { recursive: true });
  await copyLikeTheImage(dir);
  return dir;
}

/** The runtime stage's COPYs from the build context (its healthcheck script and the like), to the same places. */
async function copyLikeTheImage(dir: string): Promise<void> {
  for (const copy of instructions(RUNTIME_STAGE, 'COPY')) {
    if (copy.args.includes('--from=')) continue;
    const parts = copy.args.split(/\s+/);
    const destination = parts.pop() ?? '.';
    for (const source of parts) {
      const target = destination.endsWith('/')
        ? join(dir, destination, basename(source))
        : join(dir, destination);
      await mkdir(dirname(target), { recursive: true });
      await cp(join(REPO, source), target, { recursive: true });
    }
  }
}

/** `node` in an image command is the Node running the tests. */
function localCommand(command: readonly string[]): [string, string[]] {
  const [program, ...args] = command;
  if (program !== 'node') throw new Error(`expected a node command, got ${command.join(' ')}`);
  return [process.execPath, args];
}

/**
 * Production dependencies with a compiled part, whose install script `--ignore-scripts` skipped. The
 * addon the development install already built for this Node is reused when the version matches (compiling
 * SQLite takes minutes on a busy machine); otherwise its install script runs.
 */
const NATIVE_ADDONS = ['better-sqlite3'];

async function packageVersion(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

async function installNativeAddons(dir: string): Promise<void> {
  for (const name of NATIVE_ADDONS) {
    const target = join(dir, 'node_modules', name);
    if (!existsSync(target))
      throw new Error(`${name} is no production dependency any more; update NATIVE_ADDONS`);
    const source = join(REPO, 'node_modules', name);
    const built = join(source, 'build/Release');
    if (existsSync(built) && (await packageVersion(source)) === (await packageVersion(target))) {
      await cp(built, join(target, 'build/Release'), { recursive: true });
    } else {
      await run('npm', ['rebuild', name], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    }
  }
}

/** Any node_modules above the install would let it resolve packages it does not have. */
export function ancestorNodeModules(dir: string): string[] {
  const found: string[] = [];
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    if (existsSync(join(parent, 'node_modules'))) found.push(join(parent, 'node_modules'));
    if (dirname(parent) === parent) return found;
  }
}

export interface ProductionServer {
  readonly process: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  output(): string;
}

/**
 * Starts the built server from the install with the image's CMD and ENV, listening on a free loopback port;
 * `env` adds to or overrides the image's.
 */
export async function startProductionServer(
  dir: string,
  env: Record<string, string>,
): Promise<ProductionServer> {
  const [program, args] = localCommand(execForm(lastInstruction(RUNTIME_STAGE, 'CMD').args));
  const child = spawn(program, args, {
    cwd: dir,
    // Nothing from the test runner's environment (NODE_PATH, NODE_OPTIONS) leaks in.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...stageEnv(RUNTIME_STAGE),
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let port = 0;
  await vi.waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match === null) throw new Error('server not listening yet');
      port = Number(match[1]);
    },
    { timeout: 20_000, interval: 50 },
  );
  return { process: child, port, url: `http://127.0.0.1:${port}`, exited, output: () => output };
}

/** Runs the image's HEALTHCHECK command against a server; resolves with its exit code. */
export async function runHealthcheck(dir: string, port: number): Promise<number> {
  try {
    const [program, args] = localCommand(healthcheckCommand(RUNTIME_STAGE));
    await run(program, args, { cwd: dir, env: { ...stageEnv(RUNTIME_STAGE), PORT: String(port) } });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? 1;
  }
}
