// Global setup of the unit tests: the native kernels (native-worker/engine/native/*.c) built once per test run for
// each code path the native tests check (native-variants.ts), with the test
// threshold, into a temporary folder; the tests find the builds by variant
// name (inject('nativeBuilds')) and check them there.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildNative, type BuildResult } from '../../../../native-worker/engine/native/build';
import { hasCompiler, nativeVariants, TEST_RECUR_PARALLEL_MIN } from './native-variants';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Each variant's build, by name: where it was asked for, and what the build said (none where there is no C compiler). */
    nativeBuilds: Record<string, { path: string; built: BuildResult }>;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-native-'));
  const builds = hasCompiler
    ? Object.fromEntries(
        nativeVariants.map((v, i) => {
          const path = join(dir, `kernels-${i}.node`);
          return [v.name, { path, built: buildNative(path, v.target, [`RECUR_PARALLEL_MIN=${TEST_RECUR_PARALLEL_MIN}`]) }];
        }),
      )
    : {};
  project.provide('nativeBuilds', builds);
  return () => rmSync(dir, { recursive: true, force: true });
}
