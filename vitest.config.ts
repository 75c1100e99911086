import { defineConfig } from 'vitest/config';
import { monacoApiAlias } from './vite.config.js';

export default defineConfig({
  resolve: { alias: monacoApiAlias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit+server',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          // Browser suites drive real Chromium against a real server; one file at a time keeps the two
          // cores from being oversubscribed.
          name: 'browser',
          include: ['client/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
