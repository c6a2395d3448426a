// The optional native kernels (../native/*.c, one N-API addon built for
// this machine by ../native/build.ts). When the addon is present, workspaces
// of kind 'native' send it their large products and long tanh runs, by byte
// offsets into their memory; everything else stays in WebAssembly.

import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The interface version the addon reports (its `version()`); an addon built from other sources is not loaded. */
export const NATIVE_VERSION = 8;

export interface NativeKernels {
  /** gemm over a workspace's memory, its int32 arguments (NATIVE_ARGS.gemm) at byte offset `args` of that memory. */
  gemm(memory: ArrayBuffer, args: number): void;
  /** tanh in place over a workspace's memory: byte offset and count (NATIVE_ARGS.tanh) as int32 at byte offset `args`. */
  tanh(memory: ArrayBuffer, args: number): void;
  /**
   * BPTT's recurrence over all T steps, both cores where it pays: mode, T, B, d, then the byte offsets
   * of S, DZ and W (d × d), the truncation (0: none) and the activation (ACTIVATION_CODES), as int32
   * at byte offset `args` (NATIVE_ARGS.recur).
   */
  recur(memory: ArrayBuffer, args: number): void;
  /** out = Bᵀ over a workspace's memory: rows, cols, byte offset of B, its row stride, byte offset of out, as int32 at `args` (NATIVE_ARGS.transpose). */
  transpose(memory: ArrayBuffer, args: number): void;
  /** out[at..at+3] = Σ g², Σ p², Σ (p − q)², Σ q² over [from, to): any Float64Arrays (see sums4 in ../native/step.c). */
  sums(g: Float64Array, p: Float64Array, q: Float64Array, from: number, to: number, out: Float64Array, at: number): void;
  /** p −= lr·g, with the same bits as that loop in JavaScript (p and g of one length). */
  sgd(p: Float64Array, g: Float64Array, lr: number): void;
  /** The float32 twins of gemm, tanh, recur and transpose: the same arguments, on float32 values (products summed in float32). */
  gemm32(memory: ArrayBuffer, args: number): void;
  tanh32(memory: ArrayBuffer, args: number): void;
  recur32(memory: ArrayBuffer, args: number): void;
  transpose32(memory: ArrayBuffer, args: number): void;
  /** sums with float32 weights p and q (widened to float64; the sums in float64). */
  sums32(g: Float64Array, p: Float32Array, q: Float32Array, from: number, to: number, out: Float64Array, at: number): void;
  /** p = float32(p − lr·g), with the same bits as that loop in JavaScript on a Float32Array. */
  sgd32(p: Float32Array, g: Float64Array, lr: number): void;
  /** How many of a[from, from + length) have |v| > threshold (compared in float64); −1 when one is NaN. */
  saturated(a: Float64Array | Float32Array, from: number, length: number, threshold: number): number;
  /** True when built with AVX2 and FMA. */
  vector(): boolean;
  /** True when this CPU can run a build for AVX2 and FMA (asked of a portable build, to choose one). */
  avx2(): boolean;
  version(): number;
}

/** The activations' numbers in the native recurrence (enum Activation in ../native/kernels.h). */
export const ACTIVATION_CODES = { tanh: 0, relu: 1, sigmoid: 2, identity: 3 } as const;

/**
 * Where each int32 argument of a workspace call goes in the argument block
 * (the enums GemmArg, TanhArg, RecurArg and TransposeArg of
 * ../native/kernels.h): byte offsets into the workspace's memory, strides in
 * elements unless named in bytes.
 */
export const NATIVE_ARGS = {
  gemm: { M: 0, N: 1, K: 2, a: 3, aRowBytes: 4, aKBytes: 5, b: 6, ldb: 7, c: 8, ldc: 9, accumulate: 10 },
  tanh: { at: 0, count: 1 },
  recur: { mode: 0, T: 1, B: 2, d: 3, S: 4, DZ: 5, W: 6, truncation: 7, activation: 8 },
  transpose: { rows: 0, cols: 1, b: 2, ldb: 3, out: 4 },
} as const;

/**
 * Where build.ts puts the addon and where the engine looks for it
 * (RNN_WORKBENCH_NATIVE overrides): node_modules/.cache of the package this
 * module belongs to, the nearest directory at or above `from` (this module's
 * own) that holds a package.json. That is the checkout both for the sources
 * (native-worker/engine/fast/) and for the built bundles (out/main/, where
 * `npm start` and the built CLI run the engine). A packaged app instead
 * passes its folder of portable builds in RNN_WORKBENCH_NATIVE.
 */
export function defaultNativePath(from = dirname(fileURLToPath(import.meta.url))): string {
  let root = resolve(from);
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  return join(root, 'node_modules', '.cache', 'rnn-workbench', `kernels-${process.platform}-${process.arch}.node`);
}

/**
 * The file names of the portable builds in a folder (build.ts --portable, for
 * a packaged app, which cannot know its users' CPUs): one for any CPU of this
 * platform and, on x86-64, one for CPUs with AVX2 and FMA.
 */
export function portableNames(platform = process.platform, arch = process.arch): { base: string; avx2: string | null } {
  const base = `kernels-${platform}-${arch}`;
  return { base: `${base}.node`, avx2: arch === 'x64' ? `${base}-avx2.node` : null };
}

const loaded = new Map<string, NativeKernels | null>();
/** Why a build was not loaded, by path. */
const problems = new Map<string, string>();
const REBUILD = 'rebuild it with `npm install` or `node --import tsx native-worker/engine/native/build.ts`';

function loadFile(file: string): NativeKernels | null {
  if (loaded.has(file)) return loaded.get(file)!;
  let mod: NativeKernels | null = null;
  try {
    const m = createRequire(import.meta.url)(file) as Partial<NativeKernels>;
    const version = typeof m.version === 'function' ? m.version() : null;
    if (version === NATIVE_VERSION) mod = m as NativeKernels;
    else
      problems.set(
        file,
        `${file} was built from other sources (interface ${version ?? 'unknown'}, this engine needs ${NATIVE_VERSION}): ${REBUILD}`,
      );
  } catch (e) {
    problems.set(
      file,
      existsSync(file)
        ? `${file} does not load (${(e as Error).message.split('\n')[0]}): ${REBUILD}`
        : `there is no build at ${file} (npm install makes one where a C compiler exists)`,
    );
  }
  loaded.set(file, mod);
  return mod;
}

/** Why the addon at path (default as in loadNative) is not used, or null when it loads. */
export function nativeProblem(path?: string): string | null {
  const where = addonPath(path);
  if (loadNative(where) !== null) return null;
  if (!existsSync(where)) return `there is no build at ${where} (npm install makes one where a C compiler exists)`;
  const file = statSync(where).isDirectory() ? join(where, portableNames().base) : where;
  return problems.get(file) ?? `there is no build at ${file}`;
}

/** defaultNativePath() of this module, found once (every workspace asks for the addon). */
let defaultPath: string | undefined;

/** The addon file or folder to load: path, else RNN_WORKBENCH_NATIVE, else defaultNativePath(). */
function addonPath(path?: string): string {
  return path ?? process.env.RNN_WORKBENCH_NATIVE ?? (defaultPath ??= defaultNativePath());
}

/**
 * The addon at path (default: RNN_WORKBENCH_NATIVE or defaultNativePath()),
 * or null when it is missing or does not load. A folder holds portable
 * builds: the one for any CPU is loaded first (it runs everywhere) and asked
 * whether this CPU has AVX2 and FMA; if so, the AVX2 build is used instead.
 */
export function loadNative(path?: string): NativeKernels | null {
  const where = addonPath(path);
  let isFolder = false;
  try {
    isFolder = statSync(where).isDirectory();
  } catch {
    return null;
  }
  if (!isFolder) return loadFile(where);
  const names = portableNames();
  const base = loadFile(join(where, names.base));
  if (base === null || names.avx2 === null || !base.avx2()) return base;
  return loadFile(join(where, names.avx2)) ?? base;
}
