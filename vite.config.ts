import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * y-monaco imports `monaco-editor/esm/vs/editor/editor.api.js`, a path monaco's exports map hides; point it
 * at the real file (client/tsconfig.json has the matching `paths` entry for its types).
 */
export const monacoApiAlias = {
  'monaco-editor/esm/vs/editor/editor.api.js': fileURLToPath(
    new URL('./node_modules/monaco-editor/esm/vs/editor/editor.api.js', import.meta.url),
  ),
};

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  resolve: { alias: monacoApiAlias },
  worker: { format: 'es' },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/ws': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
