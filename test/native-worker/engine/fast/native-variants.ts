// The builds of the native kernels the tests check: this machine's, and on
// x86-64 also AVX2 with FMA (most desktop CPUs) and plain loops (no vector
// units), whatever this machine has, so that every code path is tested.

import { spawnSync } from 'node:child_process';

export const hasCompiler = process.platform !== 'win32' && spawnSync(process.env.CC ?? 'cc', ['--version']).status === 0;

export interface NativeVariant {
  name: string;
  /** Compiler flags for the instruction set (null: this machine's). */
  target: string[] | null;
  /** What the build's vector() must say (null: whatever this machine has). */
  vector: boolean | null;
}

export const nativeVariants: NativeVariant[] = [
  { name: 'for this machine', target: null, vector: null },
  ...(process.arch === 'x64'
    ? [
        { name: 'for AVX2 and FMA (x86-64-v3)', target: ['-march=x86-64-v3'], vector: true },
        { name: 'without vector units (x86-64)', target: ['-march=x86-64'], vector: false },
      ]
    : []),
];

/**
 * Recurrences split between two threads from this many multiply-adds a step
 * in the test builds (2¹⁷ in the shipped one), so that small, fast cases
 * cross the threshold: the bits must not depend on it.
 */
export const TEST_RECUR_PARALLEL_MIN = 2 ** 11;
