import { availableParallelism } from 'node:os';
import vue from '@vitejs/plugin-vue';
import { configDefaults, defineConfig } from 'vitest/config';

/** The test files that run on the test builds of native-builds.ts. */
const NATIVE = [
  'test/native-worker/engine/fast/native.test.ts',
  'test/native-worker/engine/fast/native-recur.test.ts',
  'test/native-worker/engine/fast/native-float32.test.ts',
];

export default defineConfig({
  // Vue single-file components in the renderer's component tests.
  plugins: [vue()],
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A file per core, at least two (vitest's default leaves one core idle); the two projects share
    // these workers, so the end-to-end files run beside the unit files rather than after them.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        // Browser tests against the built renderer in serve mode, the built shell and the CLI: the app
        // is built once, in the background; each file waits for the build (support/built.ts).
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          setupFiles: ['test/e2e/support/built.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The native kernels' tests, after the native kernels are built once for every code path they check.
        extends: true,
        test: { name: 'native', include: NATIVE, globalSetup: ['test/native-worker/engine/fast/native-builds.ts'] },
      },
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/e2e/**', ...NATIVE] },
      },
    ],
  },
});
