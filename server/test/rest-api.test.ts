import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse, Problem, SessionInfo } from '../../shared/api.js';
import { LIMIT_DEFAULTS } from '../../shared/limits.js';
import { SECURITY_HEADERS } from '../../shared/security-headers.js';
import { startServer, type TestServer } from './support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ MAX_CONTENT_BYTES: '1024' });
});

afterAll(async () => {
  await server.close();
});

async function post(body: string | null, contentType?: string): Promise<Response> {
  return fetch(`${server.httpUrl}/api/sessions`, {
    method: 'POST',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  });
}

async function expectProblem(response: Response, status: number, code: string): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Problem;
  expect(problem).toMatchObject({ status, code });
  expect(typeof problem.type).toBe('string');
  expect(typeof problem.title).toBe('string');
  return problem;
}

describe('POST /api/sessions', () => {
  it('creates an empty session without a body', async () => {
    const response = await post(null);
    expect(response.status).toBe(201);
    const created = (await response.json()) as CreateSessionResponse;
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.url).toBe(`/s/${created.id}`);
    const info = (await (await fetch(`${server.httpUrl}/api/sessions/${created.id}`)).json()) as SessionInfo;
    expect(info).toMatchObject({ id: created.id, language: 'javascript', connections: 0 });
    expect(Date.parse(info.createdAt)).not.toBeNaN();
  });

  it('writes the initial language and content once, at creation', async () => {
    const response = await post(
      JSON.stringify({ language: 'python', content: 'print("hi")\n' }),
      'application/json',
    );
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as CreateSessionResponse;
    const info = (await (await fetch(`${server.httpUrl}/api/sessions/${id}`)).json()) as SessionInfo;
    expect(info.language).toBe('python');
    expect(info.documentBytes).toBeGreaterThan('print("hi")\n'.length);
  });

  it('tells pads how much of each run this server keeps, as configured', async () => {
    const configured = await startServer({ MAX_RUN_OUTPUT_BYTES: '2048', MAX_RUN_OUTPUT_LINES: '50' });
    try {
      const id = await configured.createSession();
      const info = (await (await fetch(`${configured.httpUrl}/api/sessions/${id}`)).json()) as SessionInfo;
      expect(info.runLimits).toEqual({
        maxRunsKept: LIMIT_DEFAULTS.MAX_RUNS_KEPT,
        maxOutputBytes: 2048,
        maxOutputLines: 50,
      });
    } finally {
      await configured.close();
    }
  });

  it('stores initial content with LF line endings only', async () => {
    const response = await post(JSON.stringify({ content: 'a\r\nb\rc\n' }), 'application/json');
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as CreateSessionResponse;
    const content = await fetch(`${server.httpUrl}/api/sessions/${id}/content`);
    expect(await content.text()).toBe('a\nb\nc\n');
  });

  it('gives every session a different id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10; i++) ids.add(await server.createSession());
    expect(ids.size).toBe(10);
  });

  it.each([
    [
      'an unknown language',
      JSON.stringify({ language: 'cobol' }),
      'application/json',
      400,
      'UNKNOWN_LANGUAGE',
    ],
    ['a non-string language', JSON.stringify({ language: 7 }), 'application/json', 400, 'UNKNOWN_LANGUAGE'],
    ['non-string content', JSON.stringify({ content: 42 }), 'application/json', 400, 'INVALID_BODY'],
    [
      'an unknown field',
      JSON.stringify({ content: 'x', owner: 'me' }),
      'application/json',
      400,
      'INVALID_BODY',
    ],
    ['an array body', JSON.stringify(['x']), 'application/json', 400, 'INVALID_BODY'],
    ['a string body', JSON.stringify('x'), 'application/json', 400, 'INVALID_BODY'],
    [
      'content over the limit',
      JSON.stringify({ content: 'é'.repeat(513) }),
      'application/json',
      413,
      'CONTENT_TOO_LARGE',
    ],
    ['malformed JSON', '{"content": ', 'application/json', 400, 'INVALID_JSON'],
    ['a text/plain body', 'print(1)', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a form body', 'content=x', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'a body far over the limit',
      JSON.stringify({ content: 'x'.repeat(20_000) }),
      'application/json',
      413,
      'BODY_TOO_LARGE',
    ],
  ])('refuses %s with a problem and creates nothing', async (_label, body, contentType, status, code) => {
    const loadedBefore = server.app.sessionRegistry.size;
    await expectProblem(await post(body, contentType), status, code);
    expect(server.app.sessionRegistry.size).toBe(loadedBefore);
  });
});

describe('GET /api/sessions/:id', () => {
  it.each([
    ['an unknown id', 'AAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed id', 'not-an-id'],
    ['a traversal attempt', '..%2F..%2Fetc%2Fpasswd'],
  ])('answers 404 for %s', async (_label, id) => {
    await expectProblem(await fetch(`${server.httpUrl}/api/sessions/${id}`), 404, 'SESSION_NOT_FOUND');
  });

  it('answers 404 problems for unknown API paths', async () => {
    await expectProblem(await fetch(`${server.httpUrl}/api/nothing`), 404, 'NOT_FOUND');
  });
});

describe('headers and static files', () => {
  it('puts the security headers on answers, errors and 404s alike', async () => {
    for (const path of ['/healthz', '/api/sessions/nope', '/', '/does-not-exist']) {
      const response = await fetch(`${server.httpUrl}${path}`);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(response.headers.get(name), `${name} on ${path}`).toBe(value);
      }
    }
  });

  it('serves the app for share links without caching it, and hashed assets for a year', async () => {
    const id = await server.createSession();
    for (const path of ['/', `/s/${id}`]) {
      const page = await fetch(`${server.httpUrl}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('<title>code-collab</title>');
    }
    const asset = await fetch(`${server.httpUrl}/assets/index-3f2a9c1b.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it.each([
    ['pyodide.asm.wasm', 'application/wasm'],
    ['pyodide.asm.mjs', 'text/javascript; charset=utf-8'],
    ['python_stdlib.zip', 'application/zip'],
  ])('serves /pyodide/%s as %s', async (file, type) => {
    const response = await fetch(`${server.httpUrl}/pyodide/${file}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.httpUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /metrics openly by default, and only with its bearer token when METRICS_TOKEN is set', async () => {
    expect((await fetch(`${server.httpUrl}/metrics`)).status).toBe(200);
    const token = 'scrape-me-with-this-token';
    const guarded = await startServer({ METRICS_TOKEN: token });
    try {
      const url = `${guarded.httpUrl}/metrics`;
      for (const authorization of [undefined, 'Bearer wrong-token-of-some-length', `Basic ${token}`]) {
        const refused = await fetch(url, { headers: authorization ? { authorization } : {} });
        expect(refused.status, String(authorization)).toBe(401);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(refused.headers.get('www-authenticate')).toBe('Bearer');
        expect(((await refused.json()) as Problem).code).toBe('METRICS_TOKEN_REQUIRED');
      }
      const allowed = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toMatch(/^codecollab_/m);
      // Health checks stay open for the orchestrator.
      expect((await fetch(`${guarded.httpUrl}/healthz`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After after too many creations from one address', async () => {
    const limited = await startServer({ SESSION_CREATES_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 3; i++)
        expect((await fetch(`${limited.httpUrl}/api/sessions`, { method: 'POST' })).status).toBe(201);
      const refused = await fetch(`${limited.httpUrl}/api/sessions`, { method: 'POST' });
      await expectProblem(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('content-security-policy')).toBe(
        SECURITY_HEADERS['Content-Security-Policy'],
      );
    } finally {
      await limited.close();
    }
  });
});
