// The optional native kernels (../native/kernels.c, an N-API addon built for
// this machine by ../native/build.ts). When the addon is present, workspaces
// of kind 'native' send it their large products and long tanh runs, by byte
// offsets into their memory; everything else stays in WebAssembly.

import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The interface version kernels.c reports (its `version()`); an addon built from other sources is not loaded. */
export const NATIVE_VERSION = 3;

export interface NativeKernels {
  /** gemm over a workspace's memory, its 11 int32 arguments at byte offset `args` of that memory. */
  gemm(memory: ArrayBuffer, args: number): void;
  /** tanh in place over a workspace's memory: byte offset and count as int32 at byte offset `args`. */
  tanh(memory: ArrayBuffer, args: number): void;
  /**
   * BPTT's recurrence with tanh over all T steps, both cores where it pays: mode, T, B, d, then the byte
   * offsets of S, DZ and W (d × d), and the truncation (0: none), as int32 at byte offset `args`.
   */
  recur(memory: ArrayBuffer, args: number): void;
  /** out = Bᵀ over a workspace's memory: rows, cols, byte offset of B, its row stride, byte offset of out, as int32 at `args`. */
  transpose(memory: ArrayBuffer, args: number): void;
  /** True when built with AVX2 and FMA. */
  vector(): boolean;
  version(): number;
}

/** Where build.ts puts the addon and where the engine looks for it (RNN_WORKBENCH_NATIVE overrides). */
export function defaultNativePath(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  return resolve(root, 'node_modules/.cache/rnn-workbench', `kernels-${process.platform}-${process.arch}.node`);
}

const loaded = new Map<string, NativeKernels | null>();

/** The addon at path (default: RNN_WORKBENCH_NATIVE or defaultNativePath()), or null when it is missing or does not load. */
export function loadNative(path?: string): NativeKernels | null {
  const where = path ?? process.env.RNN_WORKBENCH_NATIVE ?? defaultNativePath();
  if (loaded.has(where)) return loaded.get(where)!;
  let mod: NativeKernels | null = null;
  try {
    const m = createRequire(import.meta.url)(where) as Partial<NativeKernels>;
    if (typeof m.version === 'function' && m.version() === NATIVE_VERSION) mod = m as NativeKernels;
  } catch {
    mod = null;
  }
  loaded.set(where, mod);
  return mod;
}
