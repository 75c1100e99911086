import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import { writeSnippets } from '../../../nginx/render.js';

const run = promisify(execFile);

export const NGINX_BINARY = process.env.NGINX_BINARY ?? '/usr/sbin/nginx';
const NGINX_SOURCE = new URL('../../../nginx/', import.meta.url);

export type TemplateVariables = Readonly<Record<string, string>>;

/** Test-only edits of the production files, each replacing exactly one known directive. */
export interface ConfigEdit {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

export interface NginxOptions {
  /** The app, `127.0.0.1:<port>`. */
  readonly upstream: string;
  /** The built client nginx serves itself. */
  readonly staticRoot: string;
  /** Render templates-tls/ with this certificate instead of the plain-HTTP template. */
  readonly tls?: { readonly certificate: string; readonly key: string };
  readonly edits?: readonly ConfigEdit[];
}

export interface NginxInstance {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The HTTPS port when started with `tls`. */
  readonly tlsPort: number | undefined;
  readonly prefix: string;
  /** The master process. */
  readonly pid: number;
  /** The master's current worker processes (Linux /proc). */
  workerPids(): Promise<number[]>;
  /** `nginx -s reload`, resolved once the new configuration has been accepted. */
  reload(): Promise<void>;
  stop(): Promise<void>;
  /** Everything nginx wrote to stderr so far (its error log). */
  errors(): string;
}

export function requireNginx(): void {
  if (!existsSync(NGINX_BINARY)) {
    throw new Error(`nginx not found at ${NGINX_BINARY}: install it with apt-get install -y nginx-light`);
  }
}

/**
 * envsubst with an explicit variable list, as the Docker nginx image runs it: only `${NAME}` of the given
 * names is replaced, so nginx's own `$variables` survive. A template variable left without a value fails.
 */
export function renderTemplate(template: string, variables: TemplateVariables): string {
  const rendered = template.replaceAll(
    /\$\{(\w+)\}/g,
    (placeholder, name: string) => variables[name] ?? placeholder,
  );
  const missing = rendered.match(/\$\{CODE_COLLAB_\w+\}/g);
  if (missing !== null)
    throw new Error(`template variables without a value: ${[...new Set(missing)].join(', ')}`);
  return rendered;
}

/** One worker is plenty for a test and keeps the shared machine's cores free. */
const ONE_WORKER: ConfigEdit = {
  file: 'nginx.conf',
  from: 'worker_processes auto;',
  to: 'worker_processes 1;',
};

function replaceOnce(text: string, edit: ConfigEdit): string {
  const parts = text.split(edit.from);
  if (parts.length !== 2) {
    throw new Error(
      `${edit.file}: expected exactly one ${JSON.stringify(edit.from)}, found ${parts.length - 1}`,
    );
  }
  return parts.join(edit.to);
}

/** A port that was free a moment ago; nginx binds it itself, so a rare race is retried by the caller. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/**
 * Lays out a configuration prefix exactly like /etc/nginx in the Docker image: nginx.conf, code-collab/
 * (with the security headers rendered now from their definition) and conf.d/ with the rendered site. The
 * only additions are writable paths for a non-root nginx in conf.d/00-paths.conf.
 */
export async function writeNginxPrefix(
  prefix: string,
  variables: TemplateVariables,
  options: NginxOptions,
): Promise<void> {
  await cp(join(NGINX_SOURCE.pathname, 'code-collab'), join(prefix, 'code-collab'), { recursive: true });
  writeSnippets(join(prefix, 'code-collab'));
  await cp(join(NGINX_SOURCE.pathname, 'nginx.conf'), join(prefix, 'nginx.conf'));
  await mkdir(join(prefix, 'conf.d'));
  await mkdir(join(prefix, 'temp'));
  const templateDir = options.tls === undefined ? 'templates' : 'templates-tls';
  const template = await readFile(
    join(NGINX_SOURCE.pathname, templateDir, 'code-collab.conf.template'),
    'utf8',
  );
  await writeFile(join(prefix, 'conf.d', 'code-collab.conf'), renderTemplate(template, variables));
  await writeFile(
    join(prefix, 'conf.d', '00-paths.conf'),
    [
      `access_log ${join(prefix, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (kind) => `${kind}_temp_path ${join(prefix, 'temp', kind)};`,
      ),
      '',
    ].join('\n'),
  );
  for (const edit of [ONE_WORKER, ...(options.edits ?? [])]) {
    const path = join(prefix, edit.file);
    await writeFile(path, replaceOnce(await readFile(path, 'utf8'), edit));
  }
}

/** nginx keeps only the last `-g`, so the global directives go in one. */
function nginxArgs(prefix: string, globals = ''): string[] {
  const pid = `pid ${join(prefix, 'nginx.pid')};`;
  return ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr', '-g', `${pid} ${globals}`.trim()];
}

/** `nginx -t` on a prefix; resolves with nginx's output, rejects with it when the test fails. */
export async function testConfig(prefix: string): Promise<string> {
  const { stderr } = await run(NGINX_BINARY, [...nginxArgs(prefix), '-t']);
  return stderr;
}

export function templateVariables(port: number, options: NginxOptions, tlsPort?: number): TemplateVariables {
  return {
    CODE_COLLAB_LISTEN: `127.0.0.1:${port}`,
    CODE_COLLAB_SERVER_NAME: '_',
    CODE_COLLAB_UPSTREAM: options.upstream,
    CODE_COLLAB_STATIC_ROOT: options.staticRoot,
    ...(options.tls === undefined || tlsPort === undefined
      ? {}
      : {
          CODE_COLLAB_TLS_LISTEN: `127.0.0.1:${tlsPort}`,
          CODE_COLLAB_TLS_CERTIFICATE: options.tls.certificate,
          CODE_COLLAB_TLS_CERTIFICATE_KEY: options.tls.key,
        }),
  };
}

async function waitUntilListening(port: number, process: ChildProcess, errors: () => string): Promise<void> {
  await vi.waitFor(
    async () => {
      if (process.exitCode !== null) throw new Error(`nginx exited: ${errors()}`);
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { redirect: 'manual' }).catch(
        () => null,
      );
      if (response === null) throw new Error('nginx not listening yet');
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** Starts nginx in the foreground on free loopback ports, in a private temporary prefix. */
export async function startNginx(options: NginxOptions): Promise<NginxInstance> {
  requireNginx();
  const prefix = await mkdtemp(join(tmpdir(), 'code-collab-nginx-'));
  // Started as root, nginx's workers run as an unprivileged user that must reach the temp paths in here.
  await chmod(prefix, 0o755);
  const port = await freePort();
  const tlsPort = options.tls === undefined ? undefined : await freePort();
  await writeNginxPrefix(prefix, templateVariables(port, options, tlsPort), options);
  await testConfig(prefix);

  let stderr = '';
  const child = spawn(NGINX_BINARY, nginxArgs(prefix, 'daemon off;'), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilListening(port, child, () => stderr);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tlsPort,
    prefix,
    pid: child.pid ?? 0,
    async workerPids() {
      const pid = child.pid ?? 0;
      const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
      return children.trim().split(/\s+/).filter(Boolean).map(Number);
    },
    async reload() {
      await run(NGINX_BINARY, [...nginxArgs(prefix), '-s', 'reload']);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(prefix, { recursive: true, force: true });
    },
    errors: () => stderr,
  };
}
