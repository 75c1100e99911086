/**
 * Serves Pyodide from our own origin: copies the runtime files of the `pyodide` npm package into the build
 * output under `pyodide/` and, in development, serves them from node_modules. Python then loads with every
 * other network request blocked; no CDN is ever contacted.
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { compressSnapshot, makePythonSnapshot, PYTHON_SNAPSHOT_FILE } from './python-snapshot.js';

/** URL path the run frame passes to `loadPyodide({ indexURL })`. */
export const PYODIDE_BASE_PATH = '/pyodide/';

/**
 * What `loadPyodide` fetches: the loader, the Emscripten module and its WebAssembly, the standard library
 * and the package lock (read at start-up even though no wheels ship with the npm package).
 */
export const PYODIDE_RUNTIME_FILES: Readonly<Record<string, string>> = {
  'pyodide.mjs': 'text/javascript',
  'pyodide.asm.mjs': 'text/javascript',
  'pyodide.asm.wasm': 'application/wasm',
  'python_stdlib.zip': 'application/zip',
  'pyodide-lock.json': 'application/json',
};

function pyodidePackageDir(): string {
  // The package's `require` export is pyodide.js, which sits beside every runtime file.
  return dirname(createRequire(import.meta.url).resolve('pyodide'));
}

export function pyodideRuntime(): Plugin {
  const sourceDir = pyodidePackageDir();
  let outDir = '';
  let devSnapshot: Promise<Uint8Array> | null = null;
  return {
    name: 'code-collab:pyodide-runtime',
    configResolved(config) {
      // build.outDir is relative to the project root (client/), not to the working directory.
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(PYODIDE_BASE_PATH, (request, response, next) => {
        const name = (request.url ?? '').split('?')[0]?.replace(/^\//, '') ?? '';
        if (name === PYTHON_SNAPSHOT_FILE) {
          // Made on the first request (a few seconds) and kept for the dev server's lifetime.
          devSnapshot ??= makePythonSnapshot();
          devSnapshot.then(
            (snapshot) => {
              setPublicAssetHeaders(response, 'application/octet-stream');
              response.end(snapshot);
            },
            (error: unknown) => next(error),
          );
          return;
        }
        const type = PYODIDE_RUNTIME_FILES[name];
        if (type === undefined) return next();
        setPublicAssetHeaders(response, type);
        createReadStream(join(sourceDir, name)).pipe(response);
      });
    },
    async writeBundle() {
      const target = join(outDir, PYODIDE_BASE_PATH);
      await mkdir(target, { recursive: true });
      const snapshot = makePythonSnapshot().then(async (bytes) => {
        const file = join(target, PYTHON_SNAPSHOT_FILE);
        // The brotli copy is written here: the other build outputs are compressed by their type, and this
        // one, mostly zeros, shrinks from ~31 MB to ~5 MB.
        await Promise.all([
          writeFile(file, bytes),
          compressSnapshot(bytes).then((br) => writeFile(`${file}.br`, br)),
        ]);
      });
      await Promise.all([
        snapshot,
        ...Object.keys(PYODIDE_RUNTIME_FILES).map((name) =>
          copyFile(join(sourceDir, name), join(target, name)),
        ),
      ]);
    },
  };
}

function setPublicAssetHeaders(
  response: { setHeader(name: string, value: string): unknown },
  type: string,
): void {
  response.setHeader('Content-Type', type);
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

/**
 * Development only: the sandboxed run frame has an opaque origin, so every module it and its worker import
 * from the Vite dev server is a CORS request with `Origin: null`, which Vite's default CORS policy (local
 * origins only) refuses. Grant it for exactly the files the frame loads — its own sources, the shared
 * vocabulary, Vite's client modules, pre-bundled dependencies and Pyodide — not for the rest of the project.
 */
export function sandboxDevCors(projectRoot: string): Plugin {
  const allowed = [
    '/sandbox.html',
    '/src/run/',
    '/@vite/',
    '/node_modules/.vite/deps/',
    PYODIDE_BASE_PATH,
    `/@fs${join(projectRoot, 'shared')}/`,
    `/@fs${join(projectRoot, 'node_modules/vite/dist/client')}/`,
    `/@fs${join(projectRoot, 'node_modules/.vite/deps')}/`,
  ];
  return {
    name: 'code-collab:sandbox-dev-cors',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = (request.url ?? '').split('?')[0] ?? '';
        if (request.headers.origin === 'null' && allowed.some((prefix) => path.startsWith(prefix))) {
          response.setHeader('Access-Control-Allow-Origin', '*');
        }
        next();
      });
    },
  };
}
