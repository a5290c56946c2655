import path from 'node:path';

import { defineConfig } from 'vitest/config';

// `~/db/…` is the database layer (db/), `~/…` the app (app/); the more specific one first.
const alias = [
  { find: /^~\/db\//, replacement: `${path.resolve(import.meta.dirname, 'db')}/` },
  { find: /^~\//, replacement: `${path.resolve(import.meta.dirname, 'app')}/` },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-db.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/browser/setup/global.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // One built server and one Chromium are shared: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
