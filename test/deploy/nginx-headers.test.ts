import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_PROFILES } from '../../nginx/render.js';
import { makeClientDir, startServer, type TestServer } from '../../server/test/support/test-server.js';
import { SANDBOX_PAGE_PATH, securityHeadersFor } from '../../shared/security-headers.js';
import { jsonBody, type RawResponse, rawRequest } from './support/http.js';
import { freePort, type NginxInstance, startNginx } from './support/nginx.js';
import { selfSignedCertificate } from './support/tls.js';

/** Every header name any path may carry: a header expected absent on a path must really be absent. */
const HEADER_NAMES = [
  ...new Set(HEADER_PROFILES.flatMap((profile) => Object.keys(securityHeadersFor(profile.paths[0] ?? '/')))),
];

function expectSecurityHeaders(response: RawResponse, path: string): void {
  const expected = securityHeadersFor(path);
  for (const name of HEADER_NAMES) {
    expect(response.headers[name.toLowerCase()], `${name} on ${path} (${response.status})`).toBe(
      expected[name],
    );
  }
}

const run = promisify(execFile);
const SMOKE_TEST = new URL('../../docker/smoke-test.sh', import.meta.url).pathname;

const ASSET = '/assets/index-3f2a9c1b.js';
/** The build's copy of the app page for share links, with preload hints for what a session needs. */
const SESSION_PAGE =
  '<!doctype html><title>code-collab</title><link rel="modulepreload" href="/assets/e.js">';
const LARGE_ASSET = '/assets/editor-9b1c2d3e.js';
const LARGE_WASM = '/assets/module-0a1b2c3d.wasm';
/** Python's start-up snapshot: a memory image, mostly zeros. */
const SNAPSHOT = '/pyodide/python-snapshot.bin';

let server: TestServer;
let nginx: NginxInstance;
let tlsNginx: NginxInstance;
let staticRoot: string;
let certDir: string;

beforeAll(async () => {
  staticRoot = makeClientDir();
  // nginx's workers read it as an unprivileged user, as they read a deployed dist/client.
  await chmod(staticRoot, 0o755);
  await writeFile(join(staticRoot, 'sandbox.html'), '<!doctype html><title>run</title>');
  await writeFile(join(staticRoot, 'session.html'), SESSION_PAGE);
  await writeFile(join(staticRoot, LARGE_ASSET), `export const text = ${JSON.stringify('x'.repeat(8192))};`);
  const wasm = new Uint8Array(8192);
  wasm.set([0, 97, 115, 109, 1, 0, 0, 0]);
  await writeFile(join(staticRoot, LARGE_WASM), wasm);
  await writeFile(join(staticRoot, SNAPSHOT), new Uint8Array(65536));
  server = await startServer({ TRUST_PROXY: '127.0.0.1' });
  const upstream = new URL(server.httpUrl).host;
  nginx = await startNginx({ upstream, staticRoot });
  certDir = await mkdtemp(join(tmpdir(), 'code-collab-cert-'));
  tlsNginx = await startNginx({ upstream, staticRoot, tls: await selfSignedCertificate(certDir) });
});

afterAll(async () => {
  await Promise.all([nginx?.stop(), tlsNginx?.stop()]);
  await server?.close();
  await Promise.all([staticRoot, certDir].map((dir) => dir && rm(dir, { recursive: true, force: true })));
});

async function createSession(base: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(`${base}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
}

describe('nginx in front of the app: static files', () => {
  it('serves the app page and share links uncached, with the app page headers', async () => {
    const created = await createSession(nginx.url);
    const { url } = jsonBody<{ url: string }>(created);
    for (const path of ['/', '/index.html', url]) {
      const response = await rawRequest(`${nginx.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body.toString()).toContain('<title>code-collab</title>');
      // Share links get the page that preloads the session page; the start page does not need it.
      expect(response.body.toString().includes('modulepreload'), path).toBe(path === url);
      expectSecurityHeaders(response, path);
    }
  });

  it('caches hashed assets for a year as immutable and serves JavaScript with its type', async () => {
    const response = await rawRequest(`${nginx.url}${ASSET}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(response, ASSET);
  });

  it('serves WebAssembly, module scripts and the stdlib archive of Pyodide with their types', async () => {
    const types = {
      '/pyodide/pyodide.asm.wasm': 'application/wasm',
      '/pyodide/pyodide.asm.mjs': 'text/javascript; charset=utf-8',
      '/pyodide/python_stdlib.zip': 'application/zip',
    };
    for (const [path, type] of Object.entries(types)) {
      const response = await rawRequest(`${nginx.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toBe(type);
      expect(response.headers['cache-control'], path).toBe('no-cache');
      expectSecurityHeaders(response, path);
    }
  });

  it('gives the sandboxed run frame its own policy', async () => {
    const response = await rawRequest(`${nginx.url}${SANDBOX_PAGE_PATH}`);
    expect(response.status).toBe(200);
    expectSecurityHeaders(response, SANDBOX_PAGE_PATH);
    expect(response.headers['x-frame-options']).toBeUndefined();
  });

  it('compresses JavaScript, WebAssembly and the Python snapshot for clients that accept gzip', async () => {
    for (const [path, type] of [
      [LARGE_ASSET, 'text/javascript; charset=utf-8'],
      [LARGE_WASM, 'application/wasm'],
      [SNAPSHOT, 'application/octet-stream'],
    ] as const) {
      const response = await rawRequest(`${nginx.url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.headers['content-type'], path).toBe(type);
      expect(response.headers['content-encoding'], path).toBe('gzip');
      expect(response.headers.vary, path).toBe('Accept-Encoding');
      expect(response.body.length, path).toBeLessThan(1024);
      expectSecurityHeaders(response, path);
    }
  });

  it('answers unknown paths, missing assets and hidden files with 404 and the headers', async () => {
    for (const path of ['/nope.txt', '/assets/missing-00000000.js', '/.env', '/metrics', '/pyodide/']) {
      const response = await rawRequest(`${nginx.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers['cache-control'], path).toBeUndefined();
      expectSecurityHeaders(response, path);
    }
  });

  it('rejects oversized request headers with the headers', async () => {
    const response = await rawRequest(`${nginx.url}/`, { headers: { cookie: 'x'.repeat(10_000) } });
    expect(response.status).toBe(400);
    expectSecurityHeaders(response, '/');
  });
});

describe('nginx in front of the app: the API', () => {
  it('proxies session creation and lookup, each header once', async () => {
    const created = await createSession(nginx.url);
    expect(created.status).toBe(201);
    expectSecurityHeaders(created, '/api/sessions');
    const { id } = jsonBody<{ id: string }>(created);
    const info = await rawRequest(`${nginx.url}/api/sessions/${id}`);
    expect(info.status).toBe(200);
    expect(jsonBody<{ id: string }>(info).id).toBe(id);
    expectSecurityHeaders(info, `/api/sessions/${id}`);
    const missing = await rawRequest(`${nginx.url}/api/sessions/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expectSecurityHeaders(missing, '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('proxies the health check', async () => {
    const response = await rawRequest(`${nginx.url}/healthz`);
    expect(response.status).toBe(200);
    expectSecurityHeaders(response, '/healthz');
  });

  it('rejects bodies above the size limit before they reach the app', async () => {
    const response = await rawRequest(`${nginx.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'x'.repeat(5 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expectSecurityHeaders(response, '/api/sessions');
  });

  it('limits session creation per address with 429 problems that carry the headers', async () => {
    const statuses: number[] = [];
    let limited: RawResponse | undefined;
    // The zone allows a burst of 10 at once; the limit must bite well before 40.
    while (limited === undefined && statuses.length < 40) {
      const response = await createSession(nginx.url, { 'x-forwarded-for': `203.0.113.${statuses.length}` });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(limited, `statuses: ${statuses.join(' ')}`).toBeDefined();
    if (limited === undefined) return;
    expect(limited.headers['content-type']).toBe('application/problem+json');
    expect(limited.headers['retry-after']).toBe('60');
    expect(jsonBody<{ code: string }>(limited).code).toBe('RATE_LIMITED');
    expectSecurityHeaders(limited, '/api/sessions');
    // Reading sessions is not session creation: still allowed.
    expect((await rawRequest(`${nginx.url}/healthz`)).status).toBe(200);
  });
});

describe('the compose smoke test script', () => {
  it('passes against nginx in front of the app, as CI runs it against the containers', async () => {
    // A fresh nginx: the rate-limit test above has used up this address's session creations on the other.
    const freshNginx = await startNginx({ upstream: new URL(server.httpUrl).host, staticRoot });
    try {
      const { stdout } = await run('bash', [SMOKE_TEST, freshNginx.url]);
      expect(stdout).toContain('smoke test passed');
    } finally {
      await freshNginx.stop();
    }
  });

  it('fails when the upstream is down', async () => {
    const deadNginx = await startNginx({ upstream: `127.0.0.1:${await freePort()}`, staticRoot });
    try {
      await expect(
        run('bash', [SMOKE_TEST, deadNginx.url], { env: { ...process.env, SMOKE_RETRIES: '0' } }),
      ).rejects.toThrow(/healthz/);
      // nginx's own 503 for the API carries the problem format and the headers.
      const response = await createSession(deadNginx.url);
      expect(response.status).toBe(503);
      expect(jsonBody<{ code: string }>(response).code).toBe('UNAVAILABLE');
      expectSecurityHeaders(response, '/api/sessions');
    } finally {
      await deadNginx.stop();
    }
  });
});

describe('nginx in front of the app: client addresses', () => {
  it('sets X-Forwarded-For itself, so a forged one cannot dodge the per-address limit of the app', async () => {
    const strictServer = await startServer({ TRUST_PROXY: '127.0.0.1', SESSION_CREATES_PER_MINUTE: '2' });
    const strictNginx = await startNginx({ upstream: new URL(strictServer.httpUrl).host, staticRoot });
    try {
      const statuses: number[] = [];
      for (const forged of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        statuses.push((await createSession(strictNginx.url, { 'x-forwarded-for': forged })).status);
      }
      // Had nginx passed the forged addresses on, the app would have seen three clients.
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await strictNginx.stop();
      await strictServer.close();
    }
  });
});

describe('nginx over TLS', () => {
  it('redirects plain HTTP to HTTPS', async () => {
    const response = await rawRequest(`${tlsNginx.url}/s/abc?x=1`, { headers: { host: 'pad.example' } });
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('https://pad.example/s/abc?x=1');
    expectSecurityHeaders(response, '/s/abc');
  });

  it('answers ACME challenges on plain HTTP instead of redirecting them', async () => {
    const response = await rawRequest(`${tlsNginx.url}/.well-known/acme-challenge/token`);
    expect(response.status).toBe(404);
    expectSecurityHeaders(response, '/.well-known/acme-challenge/token');
  });

  it('serves the app over HTTPS with HSTS on every response', async () => {
    const base = `https://127.0.0.1:${tlsNginx.tlsPort}`;
    for (const [path, status] of [
      ['/', 200],
      [ASSET, 200],
      ['/healthz', 200],
      ['/nope', 404],
    ] as const) {
      const response = await rawRequest(`${base}${path}`);
      expect(response.status, path).toBe(status);
      expect(response.headers['strict-transport-security'], path).toBe('max-age=63072000');
      expectSecurityHeaders(response, path);
    }
  });
});
