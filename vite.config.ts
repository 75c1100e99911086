import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompressAssets, sessionPagePreload } from './scripts/vite-delivery-plugins.js';
import { pyodideRuntime, sandboxDevCors } from './scripts/vite-pyodide-plugin.js';

/**
 * y-monaco imports `monaco-editor/esm/vs/editor/editor.api.js`, a path monaco's exports map hides; point it
 * at the real file (client/tsconfig.json has the matching `paths` entry for its types).
 */
export const monacoApiAlias = {
  'monaco-editor/esm/vs/editor/editor.api.js': fileURLToPath(
    new URL('./node_modules/monaco-editor/esm/vs/editor/editor.api.js', import.meta.url),
  ),
};

/** Which of Monaco's chunks a module of its editor core goes to, or null for any other module. */
function monacoChunkName(id: string): string | null {
  const path = id.replaceAll('\\', '/');
  if (!path.includes('/node_modules/monaco-editor/') || path.includes('/languages/definitions/')) return null;
  if (path.includes('/esm/vs/base/')) return 'monaco-base';
  if (path.includes('/esm/vs/editor/common/')) return 'monaco-model';
  return 'monaco-editor';
}

const devServerPort = process.env.PORT ?? '3000';

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  resolve: { alias: monacoApiAlias },
  worker: { format: 'es' },
  plugins: [
    pyodideRuntime(),
    sandboxDevCors(fileURLToPath(new URL('.', import.meta.url))),
    sessionPagePreload(),
    precompressAssets(),
  ],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // The app, and the sandboxed frame the run panel executes code in (see client/src/run/sandbox-frame.ts).
      input: {
        main: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        sandbox: fileURLToPath(new URL('./client/sandbox.html', import.meta.url)),
      },
      output: {
        strictExecutionOrder: true,
        codeSplitting: {
          groups: [
            {
              // Monaco's editor core in three files of similar size, instead of one of 3 MB: a browser
              // compiles separate files on separate threads, so the editor is ready sooner. Its languages'
              // syntax definitions stay apart, loaded when a session uses them.
              name: monacoChunkName,
              // Grouping by folder splits import cycles across chunks: strictExecutionOrder keeps the
              // modules' evaluation order right anyway.
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev` starts the server on PORT (default 3000) and passes the same environment to Vite.
    proxy: {
      '/api': `http://127.0.0.1:${devServerPort}`,
      '/ws': { target: `ws://127.0.0.1:${devServerPort}`, ws: true },
    },
  },
});
