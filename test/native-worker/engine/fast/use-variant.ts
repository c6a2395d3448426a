// A native test file's kernels: one variant's build from the test run's
// global setup (native-builds.ts), loaded by the workspaces it creates.

import { expect, inject, vi } from 'vitest';
import { loadNative } from '../../../../native-worker/engine/fast/native';
import type { NativeVariant } from './native-variants';

/**
 * Makes the variant's build (made once per test run, with the test threshold:
 * native-builds.ts) the addon that new native workspaces load
 * (RNN_WORKBENCH_NATIVE) until vi.unstubAllEnvs(), and checks that it
 * built and loads with the vector units it should have.
 */
export function useVariant({ name, vector }: NativeVariant): void {
  const { path, built } = inject('nativeBuilds')[name];
  expect(built, built.ok ? '' : built.reason).toEqual({ ok: true, path });
  vi.stubEnv('RNN_WORKBENCH_NATIVE', path);
  expect(loadNative()).not.toBeNull();
  if (vector !== null) expect(loadNative()!.vector()).toBe(vector);
}
