import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
    },
  });

/** e2e files whose assertions compare server timings: they run alone, after the rest. */
const TIMING_FILES = [
  'test/e2e/flows/enumeration-timing.spec.ts',
  'test/e2e/flows/login-identifier-first-mitigated.spec.ts',
  'test/e2e/recovery/recovery-timing.spec.ts',
  'test/e2e/ops/admin-api-keys.spec.ts',
];

export default defineConfig({
  plugins: [swcPlugin()],
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      // Files share a worker's module cache (`isolate: false`): importing Nest, TypeORM and the
      // libraries once per worker instead of once per file cuts the unit and medium passes to a
      // third. Every file builds its own app, data source and server, and keeps no module state.
      // Two workers: e2e files mostly wait on the server process they spawn. Projects that run
      // together must agree on the number (vitest).
      {
        plugins: [swcPlugin()],
        test: {
          name: 'unit',
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts'],
          isolate: false,
          maxWorkers: 2,
        },
      },
      {
        plugins: [swcPlugin()],
        test: {
          name: 'medium',
          include: ['test/medium/**/*.spec.ts'],
          isolate: false,
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      // The files that compare server timings run afterwards, one at a time, on a machine
      // nothing else loads.
      {
        plugins: [swcPlugin()],
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts', 'test/contract/**/*.spec.ts'],
          exclude: TIMING_FILES,
          globalSetup: ['./test/support/build.global-setup.ts'],
          setupFiles: ['./test/support/server-errors.setup.ts'],
          isolate: false,
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [swcPlugin()],
        test: {
          name: 'e2e-timing',
          include: TIMING_FILES,
          globalSetup: ['./test/support/build.global-setup.ts'],
          setupFiles: ['./test/support/server-errors.setup.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [swcPlugin()],
        test: {
          name: 'browser',
          include: ['test/browser/**/*.spec.ts'],
          globalSetup: ['./test/support/build.global-setup.ts'],
          setupFiles: ['./test/support/server-errors.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
