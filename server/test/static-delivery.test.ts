/**
 * How the built client is delivered: brotli and gzip copies written by the build are sent to clients that
 * accept them, with the original file's type and caching; share links get the page with preload hints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClientDir, startServer, type TestServer } from './support/test-server.js';

const SCRIPT = `export const greeting = ${JSON.stringify('hello '.repeat(200))};\n`;
const SESSION_HTML =
  '<!doctype html><title>code-collab</title><link rel="modulepreload" href="/assets/x.js">';

let server: TestServer;

beforeAll(async () => {
  const clientDir = makeClientDir();
  const script = join(clientDir, 'assets', 'editor-0a1b2c3d.js');
  writeFileSync(script, SCRIPT);
  writeFileSync(`${script}.br`, brotliCompressSync(SCRIPT));
  writeFileSync(`${script}.gz`, gzipSync(SCRIPT));
  writeFileSync(join(clientDir, 'session.html'), SESSION_HTML);
  mkdirSync(join(clientDir, 'pyodide'), { recursive: true });
  writeFileSync(join(clientDir, 'pyodide', 'pyodide.asm.mjs.gz'), gzipSync('export {};'));
  server = await startServer({ CLIENT_DIR: clientDir });
});

afterAll(async () => {
  await server?.close();
});

function get(path: string, acceptEncoding: string): Promise<Response> {
  return fetch(`${server.httpUrl}${path}`, { headers: { 'accept-encoding': acceptEncoding } });
}

describe('precompressed static files', () => {
  it('sends the brotli copy to clients that accept it, with the type and caching of the original', async () => {
    const response = await get('/assets/editor-0a1b2c3d.js', 'gzip, deflate, br');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
    // fetch decodes the body itself; the decoded text is the original file.
    expect(await response.text()).toBe(SCRIPT);
  });

  it('sends the gzip copy to clients that accept only gzip, and the file itself to the others', async () => {
    const gzipped = await get('/assets/editor-0a1b2c3d.js', 'gzip');
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.text()).toBe(SCRIPT);
    const plain = await get('/assets/editor-0a1b2c3d.js', 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await plain.text()).toBe(SCRIPT);
  });

  it('keeps the type and the revalidation of Pyodide files sent compressed', async () => {
    const response = await get('/pyodide/pyodide.asm.mjs', 'gzip');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('leaves the compressed copies as they are when they are asked for by name', async () => {
    const response = await get('/assets/editor-0a1b2c3d.js.br', 'identity');
    expect(response.status).toBe(200);
    expect(brotliDecompressSync(Buffer.from(await response.arrayBuffer())).toString()).toBe(SCRIPT);
    const gz = await get('/assets/editor-0a1b2c3d.js.gz', 'identity');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(SCRIPT);
  });
});

describe('share links', () => {
  it('answer with the session page and its preload hints, revalidated on every load', async () => {
    const id = await server.createSession();
    const response = await get(`/s/${id}`, 'identity');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(SESSION_HTML);
    expect(await (await get('/', 'identity')).text()).toContain('<title>code-collab</title>');
  });
});
