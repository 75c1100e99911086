/**
 * The Docker files, checked without a Docker engine: what the runtime image promises (LTS slim base, a
 * non-root user, the data volume, exec-form CMD and HEALTHCHECK, production dependencies only) and that
 * every file the build copies exists. CI builds and runs the images for real.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMIT_DEFAULTS } from '../../shared/limits.js';
import {
  execForm,
  healthcheckCommand,
  instructions,
  lastInstruction,
  readDockerfile,
  stageEnv,
  stageNamed,
} from './support/dockerfile.js';

const REPO = new URL('../../', import.meta.url).pathname;
const dockerfile = readDockerfile();
const app = stageNamed(dockerfile, 'app');
const web = stageNamed(dockerfile, 'web');

describe('the runtime image (target app)', () => {
  it('starts from a slim image of an even-numbered (LTS) Node line', () => {
    const match = /^node:(\d+)-[\w-]*slim$/.exec(app.from);
    expect(match, app.from).not.toBeNull();
    const major = Number(match?.[1]);
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(22);
  });

  it('runs as a non-root user, with the data directory as a volume', () => {
    const user = lastInstruction(app, 'USER').args;
    expect(['root', '0', '0:0']).not.toContain(user);
    const { DATA_DIR } = stageEnv(app);
    expect(DATA_DIR).toBe('/data');
    expect(instructions(app, 'VOLUME').flatMap((volume) => execForm(volume.args))).toContain(DATA_DIR);
  });

  it('has exec-form CMD and HEALTHCHECK, so node receives SIGTERM itself', () => {
    expect(execForm(lastInstruction(app, 'CMD').args)[0]).toBe('node');
    expect(healthcheckCommand(app)[0]).toBe('node');
  });

  it('takes node_modules from a stage that installs production dependencies only', () => {
    const copy = instructions(app, 'COPY').find((instruction) => instruction.args.endsWith('node_modules'));
    const from = /--from=(\S+)/.exec(copy?.args ?? '')?.[1] ?? '';
    const installs = instructions(stageNamed(dockerfile, from), 'RUN').map((run) => run.args);
    expect(installs.some((run) => run.includes('npm ci --omit=dev'))).toBe(true);
  });
});

describe('the nginx image (target web)', () => {
  it('defines every variable both site templates use', () => {
    const env = stageEnv(web);
    for (const template of ['templates', 'templates-tls']) {
      const text = readFileSync(join(REPO, 'nginx', template, 'code-collab.conf.template'), 'utf8');
      for (const [, name] of text.matchAll(/\$\{(CODE_COLLAB_\w+)\}/g)) {
        expect(env[name ?? ''], `${template}: ${name}`).toBeDefined();
      }
    }
    expect(env.NGINX_ENVSUBST_FILTER).toBe('^CODE_COLLAB_');
  });
});

/** One service's block of compose.yaml (two-space indented keys under `services:`). */
function composeService(name: string): string {
  const text = readFileSync(join(REPO, 'docker/compose.yaml'), 'utf8');
  const match = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`, 'm').exec(text);
  if (match === null) throw new Error(`compose.yaml has no service ${name}`);
  return match[1] ?? '';
}

function seconds(value: string | undefined): number {
  const match = /^(\d+)s$/.exec(value ?? '');
  if (match === null) throw new Error(`not a duration in seconds: ${value}`);
  return Number(match[1]);
}

describe('compose.yaml', () => {
  it('publishes only nginx; the app is reached through it, with init as PID 1', () => {
    const app = composeService('app');
    expect(app).not.toMatch(/^\s+ports:/m);
    expect(app).toMatch(/^ {4}init: true$/m);
    expect(app).toMatch(/^ {6}TRUST_PROXY: \S+/m);
    expect(composeService('web')).toMatch(/^ {4}ports:/m);
    expect(composeService('web')).toMatch(/condition: service_healthy/);
  });

  it('gives each service more time to stop than its own graceful shutdown takes', () => {
    const grace = (service: string) => seconds(/stop_grace_period: (\S+)/.exec(composeService(service))?.[1]);
    expect(grace('app')).toBeGreaterThan(LIMIT_DEFAULTS.SHUTDOWN_TIMEOUT_MS / 1000);
    const nginxConf = readFileSync(join(REPO, 'nginx/nginx.conf'), 'utf8');
    expect(grace('web')).toBeGreaterThan(seconds(/worker_shutdown_timeout (\S+);/.exec(nginxConf)?.[1]));
  });
});

describe('the build context', () => {
  it('holds every file the Dockerfile copies, none of them ignored', () => {
    const ignored = readFileSync(join(REPO, 'docker/Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const sources = dockerfile.stages
      .flatMap((stage) => instructions(stage, 'COPY'))
      .filter((copy) => !copy.args.includes('--from='))
      .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1))
      .filter((source) => source !== '.');
    expect(sources.length).toBeGreaterThan(4);
    for (const source of sources) {
      expect(existsSync(join(REPO, source)), source).toBe(true);
      const top = source.split('/')[0] ?? '';
      expect(ignored, source).not.toContain(top);
    }
  });
});
