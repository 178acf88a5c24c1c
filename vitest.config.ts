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

export default defineConfig({
  plugins: [swcPlugin()],
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        plugins: [swcPlugin()],
        test: { name: 'unit', include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts'] },
      },
      {
        plugins: [swcPlugin()],
        test: {
          name: 'medium',
          include: ['test/medium/**/*.spec.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [swcPlugin()],
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts', 'test/contract/**/*.spec.ts'],
          globalSetup: ['./test/support/build.global-setup.ts'],
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
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
