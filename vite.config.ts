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
