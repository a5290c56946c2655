import path from 'node:path';

import { defineConfig } from 'vitest/config';

// `~/db/…` is the database layer (db/), `~/…` the app (app/); the more specific one first.
/**
 * Test files at once. Vitest's default on this 2-core machine is 1 (cores − 1), which left one core
 * idle through the database tests and ran the 40-odd browser files one after another (~16 of the
 * suite's ~22 minutes on CI). Two workers: database files two at a time (each has its own SQLite
 * file or PostgreSQL schema), browser files two at a time, each worker on its own built server and
 * database (tests/browser/setup/global.ts starts one per worker). TEST_WORKERS overrides.
 */
const WORKERS = Math.max(1, Number(process.env.TEST_WORKERS) || 2);

const alias = [
  { find: /^~\/db\//, replacement: `${path.resolve(import.meta.dirname, 'db')}/` },
  { find: /^~\//, replacement: `${path.resolve(import.meta.dirname, 'app')}/` },
];

export default defineConfig({
  resolve: { alias },
  test: {
    maxWorkers: WORKERS,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          maxWorkers: WORKERS,
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          maxWorkers: WORKERS,
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-db.ts'],
          // Files share their worker instead of a fresh process each: each one imported the app's
          // packages anew ("import 421 s" of an ~11-minute project). The set-up file gives each
          // file the fresh app modules, environment and timers a new process gave it.
          isolate: false,
          setupFiles: ['tests/helpers/integration-setup.ts'],
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
          // After the database files (group 1): each of the WORKERS workers has its own server and
          // database (VITEST_POOL_ID picks it), so two files never share a server's state.
          maxWorkers: WORKERS,
          // Files share their worker's process (and, through setup/browser.ts, its Chromium): a fresh
          // process per file re-imported the app's modules, playwright and axe (~10 s of CPU a file).
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
