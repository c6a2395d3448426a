// The memory and matrix products of the fast path. A Workspace holds every
// buffer of one computation (a gradient method of one run) as Float64Array
// views, allocated once at construction and never grown, so the views stay
// valid. With WebAssembly SIMD (../wasm/kernels.as) the views live in the
// module's own memory and the products run there on byte offsets, with no
// copies; without it the views are ordinary arrays and the products are the
// portable loops of gemm-ld.ts. A float32 workspace (Float32Array views, in
// the same kind of memory) exists only with the native kernels, which run
// all of its computations in float32 arithmetic (their float32 twins).
//
// Four kinds, chosen once per process (so a run is bit-reproducible):
//   'native'    the N-API addon of ../native (built for this machine, optional)
//               for products of NATIVE_MIN multiply-adds or more, WebAssembly
//               (as below) for the rest
//   'wasm-fma'  relaxed SIMD with fused multiply-adds, where the JavaScript
//               engine has it (Electron; Node 20 with --experimental-wasm-relaxed-simd)
//   'wasm'      plain SIMD: the same bits as the portable loops and the reference
//   'ts'        the portable loops
// RNN_WORKBENCH_KERNELS=ts|wasm|wasm-fma|native forces one (if available).

import type { Activation, Dtype } from '../../../common/contract';
import type { FloatArray } from '../tensor';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../wasm/kernels-wasm';
import { gemmNNld, gemmTNld, transposeLd } from './gemm-ld';
import { ACTIVATION_CODES, loadNative, NATIVE_ARGS, nativeProblem, type NativeKernels } from './native';
import { tanhInPlace } from './tanh';
import { ARGS_BYTES, PAGE, placement, SCRATCH_BYTES, type KernelKind } from './workspace-size';

export type { KernelKind } from './workspace-size';

type WasmGemm = (
  M: number,
  N: number,
  K: number,
  a: number,
  ar: number,
  ak: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  acc: number,
  scratch: number,
) => void;
type WasmTranspose = (rows: number, cols: number, b: number, ldb: number, out: number) => void;
type WasmTanh = (a: number, n: number) => void;

/** The part of the WebAssembly JS API used here (the project's lib settings declare no DOM globals). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Products smaller than this many multiply-adds stay in WebAssembly (a native call costs about 0.1 µs). */
export const NATIVE_MIN = 16384;
/** tanh goes native from this many values (all three tanh give the same bits). */
const NATIVE_TANH_MIN = 64;
/** Transposes go native from this many values (the native one works in cache-sized blocks). */
const NATIVE_TRANSPOSE_MIN = 4096;

const compiled = new Map<KernelKind, object | null>();

/** The compiled module of a WebAssembly kind, or null where this engine cannot run it. */
function wasmModule(kind: KernelKind): object | null {
  if (kind === 'ts') return null;
  if (kind === 'native') return loadNative() ? (wasmModule('wasm-fma') ?? wasmModule('wasm')) : null;
  let mod = compiled.get(kind);
  if (mod !== undefined) return mod;
  mod = null;
  if (wasmApi) {
    const b64 = kind === 'wasm-fma' ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64;
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    if (wasmApi.validate(bytes)) mod = new wasmApi.Module(bytes);
  }
  compiled.set(kind, mod);
  return mod;
}

let chosen: KernelKind | null = null;

/** Which kernels new workspaces use in this process: the fastest available, unless RNN_WORKBENCH_KERNELS names one. */
export function kernelKind(): KernelKind {
  if (chosen) return chosen;
  const env = typeof process === 'undefined' ? undefined : process.env.RNN_WORKBENCH_KERNELS;
  const order: KernelKind[] =
    env === 'ts'
      ? ['ts']
      : env === 'wasm'
        ? ['wasm', 'ts']
        : env === 'wasm-fma'
          ? ['wasm-fma', 'wasm', 'ts']
          : ['native', 'wasm-fma', 'wasm', 'ts'];
  chosen = order.find((k) => k === 'ts' || wasmModule(k) !== null) ?? 'ts';
  return chosen;
}

let nativeOfProcess: NativeKernels | null | undefined;

/**
 * The native kernels when this process's kernels are the native ones (decided
 * once, with kernelKind), for computations on plain Float64Arrays outside any
 * workspace; else null.
 */
export function processNative(): NativeKernels | null {
  if (nativeOfProcess === undefined) nativeOfProcess = kernelKind() === 'native' ? loadNative() : null;
  return nativeOfProcess;
}

/** The kernels this process uses, and when they are not the native ones, why (for `rnn-workbench --version`). */
export function describeKernels(): string {
  const kind = kernelKind();
  if (kind === 'native') return 'native kernels';
  const forced = typeof process === 'undefined' ? undefined : process.env.RNN_WORKBENCH_KERNELS;
  const why = forced && forced !== 'native' ? `RNN_WORKBENCH_KERNELS=${forced}` : (nativeProblem() ?? 'they do not load');
  return `${kind} kernels (the native ones are not used: ${why})`;
}

/** True when this JavaScript engine can run the given kind. */
export function kernelAvailable(kind: KernelKind): boolean {
  return kind === 'ts' || wasmModule(kind) !== null;
}

/** True when this process can make float32 workspaces (it computes with the native kernels). */
export function float32Available(): boolean {
  return processNative() !== null;
}

/**
 * One matrix product C (+)= op(A) · B of a workspace, by name: C is M × N,
 * each entry a sum of K terms in k order. Each matrix lies in its buffer
 * row by row, its rows ld values apart (lda, ldb, ldc), its first value at
 * the offset (aOff, bOff, cOff; default 0).
 */
export interface Product {
  M: number;
  N: number;
  K: number;
  /** M × K for nn; K × M (read as its transpose) for tn. */
  A: FloatArray;
  aOff?: number;
  lda: number;
  /** K × N. */
  B: FloatArray;
  bOff?: number;
  ldb: number;
  C: FloatArray;
  cOff?: number;
  ldc: number;
  /** C += op(A) · B; by default C = op(A) · B. */
  accumulate?: boolean;
}

/** The native calls on a workspace's memory, float64's or their float32 twins. */
type NativeCalls = Pick<NativeKernels, 'gemm' | 'tanh' | 'recur' | 'transpose'>;

export class Workspace<Name extends string = string, F extends FloatArray = Float64Array> {
  readonly kind: KernelKind;
  /** One view per requested buffer, by name. */
  readonly buffers: Readonly<Record<Name, F>>;
  /** Bytes per value: 8, or 4 in a float32 workspace. */
  private readonly word: 4 | 8;
  private readonly buffer: ArrayBuffer | null;
  private readonly wasmGemm: WasmGemm | null;
  private readonly wasmTranspose: WasmTranspose | null;
  private readonly wasmTanh: WasmTanh | null;
  private readonly native: NativeCalls | null;
  /** Every computation goes native (float32), not only the large ones. */
  private readonly allNative: boolean;
  private readonly args: Int32Array | null;

  /**
   * Buffers of the given lengths (in values of dtype), zero-filled, laid out in the order given. A
   * float32 workspace needs kind 'native' and the native kernels loaded (float32Available()).
   */
  constructor(lengths: Readonly<Record<Name, number>>, kind: KernelKind = kernelKind(), dtype: Dtype = 'float64') {
    const mod = wasmModule(kind);
    if (kind !== 'ts' && !mod) throw new Error(`the ${kind} kernels are not available in this JavaScript engine`);
    const single = dtype === 'float32';
    if (single && kind !== 'native') throw new Error(`float32 workspaces compute with the native kernels, not ${kind}`);
    this.kind = kind;
    this.word = single ? 4 : 8;
    this.allNative = single;
    const { offsets, total } = placement(lengths, kind, this.word);
    const names = Object.keys(lengths) as Name[];
    const views = (view: (n: number, i: number) => FloatArray) =>
      Object.fromEntries(names.map((name, i) => [name, view(lengths[name], i)])) as Record<Name, F>;
    if (mod && wasmApi) {
      const pages = Math.max(1, Math.ceil((total * this.word) / PAGE));
      const memory = new wasmApi.Memory({ initial: pages, maximum: pages });
      const abort = (): never => {
        throw new Error('WebAssembly kernel aborted');
      };
      const exports = new wasmApi.Instance(mod, { env: { memory, abort } }).exports;
      if ((exports.SCRATCH_BYTES as { value: number }).value !== SCRATCH_BYTES)
        throw new Error('the WebAssembly kernels expect another scratch size');
      // the WebAssembly kernels compute in float64: a float32 workspace never calls them
      this.wasmGemm = single ? null : (exports.gemm as WasmGemm);
      this.wasmTranspose = single ? null : (exports.transpose as WasmTranspose);
      this.wasmTanh = single ? null : (exports.tanh_inplace as WasmTanh);
      this.buffer = memory.buffer;
      const View = single ? Float32Array : Float64Array;
      this.buffers = views((n, i) => new View(memory.buffer, offsets[i] * this.word, n));
      const native = kind === 'native' ? loadNative() : null;
      this.native =
        native && single ? { gemm: native.gemm32, tanh: native.tanh32, recur: native.recur32, transpose: native.transpose32 } : native;
      this.args = this.native ? new Int32Array(memory.buffer, SCRATCH_BYTES, ARGS_BYTES / 4) : null;
    } else {
      this.wasmGemm = null;
      this.wasmTranspose = null;
      this.wasmTanh = null;
      this.native = null;
      this.args = null;
      this.buffer = null;
      this.buffers = views((n) => new Float64Array(n));
    }
  }

  /** True when a and the kernels share memory (every array of this workspace does). */
  private owns(a: FloatArray): boolean {
    return a.buffer === this.buffer;
  }

  /** C (+)= A · B. */
  nn(p: Product): void {
    this.product(false, p);
  }

  /** C (+)= Aᵀ · B. */
  tn(p: Product): void {
    this.product(true, p);
  }

  /** Both products: the kernels walk A by (row, k) byte strides, so Aᵀ is only swapped strides. */
  private product(transposedA: boolean, p: Product): void {
    const { M, N, K, A, aOff = 0, lda, B, bOff = 0, ldb, C, cOff = 0, ldc, accumulate = false } = p;
    const g = this.wasmGemm,
      w = this.word;
    if ((g !== null || this.allNative) && this.owns(A) && this.owns(B) && this.owns(C)) {
      const a = A.byteOffset + aOff * w,
        b = B.byteOffset + bOff * w,
        c = C.byteOffset + cOff * w,
        acc = accumulate ? 1 : 0;
      const ar = transposedA ? w : lda * w,
        ak = transposedA ? lda * w : w;
      if (g === null || (this.args !== null && M * N * K >= NATIVE_MIN)) this.callNative(M, N, K, a, ar, ak, b, ldb, c, ldc, acc);
      else g(M, N, K, a, ar, ak, b, ldb, c, ldc, acc, 0);
    } else if (transposedA) {
      gemmTNld(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    } else {
      gemmNNld(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    }
  }

  private callNative(
    M: number,
    N: number,
    K: number,
    a: number,
    ar: number,
    ak: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    acc: number,
  ): void {
    const args = this.args!,
      at = NATIVE_ARGS.gemm;
    args[at.M] = M;
    args[at.N] = N;
    args[at.K] = K;
    args[at.a] = a;
    args[at.aRowBytes] = ar;
    args[at.aKBytes] = ak;
    args[at.b] = b;
    args[at.ldb] = ldb;
    args[at.c] = c;
    args[at.ldc] = ldc;
    args[at.accumulate] = acc;
    this.native!.gemm(this.buffer!, SCRATCH_BYTES);
  }

  /**
   * The forward recurrence of BPTT in one native call, where this workspace has the native kernels:
   * for t = 0 … T−1, block t+1 of S (B × d blocks from sOff) becomes f(S^{t+1} + S^t · Wᵀ), W (d × d,
   * row-major, as in the parameters) at wOff. False (and nothing done) without them.
   */
  forwardRecurrence(act: Activation, T: number, B: number, d: number, S: FloatArray, sOff: number, W: FloatArray, wOff: number): boolean {
    return this.recur(0, act, T, B, d, S, sOff, S, sOff, W, wOff, 0);
  }

  /**
   * The backward recurrence of BPTT in one native call, where this workspace has the native kernels:
   * for t = T−1 … 0, DZ^t += DZ^{t+1} · W (except at t = T−1 and where truncation > 0 divides t+1),
   * then DZ^t ⊙= f' written through S^{t+1} = f(z); B × d blocks from dzOff and sOff, W (d × d) at
   * wOff. False (and nothing done) without them.
   */
  backwardRecurrence(
    act: Activation,
    T: number,
    B: number,
    d: number,
    S: FloatArray,
    sOff: number,
    DZ: FloatArray,
    dzOff: number,
    W: FloatArray,
    wOff: number,
    truncation: number | null,
  ): boolean {
    return this.recur(1, act, T, B, d, S, sOff, DZ, dzOff, W, wOff, truncation ?? 0);
  }

  private recur(
    mode: number,
    act: Activation,
    T: number,
    B: number,
    d: number,
    S: FloatArray,
    sOff: number,
    DZ: FloatArray,
    dzOff: number,
    W: FloatArray,
    wOff: number,
    truncation: number,
  ): boolean {
    const args = this.args;
    if (args === null || !this.owns(S) || !this.owns(DZ) || !this.owns(W)) return false;
    const at = NATIVE_ARGS.recur,
      w = this.word;
    args[at.mode] = mode;
    args[at.T] = T;
    args[at.B] = B;
    args[at.d] = d;
    args[at.S] = S.byteOffset + sOff * w;
    args[at.DZ] = DZ.byteOffset + dzOff * w;
    args[at.W] = W.byteOffset + wOff * w;
    args[at.truncation] = truncation;
    args[at.activation] = ACTIVATION_CODES[act];
    this.native!.recur(this.buffer!, SCRATCH_BYTES);
    return true;
  }

  /** out[cols×rows] = B[rows×cols]ᵀ. */
  transpose(rows: number, cols: number, B: FloatArray, bOff: number, ldb: number, out: FloatArray, outOff: number): void {
    const t = this.wasmTranspose;
    if ((t !== null || this.allNative) && this.owns(B) && this.owns(out)) {
      const b = B.byteOffset + bOff * this.word,
        o = out.byteOffset + outOff * this.word;
      if (t === null || (this.args !== null && rows * cols >= NATIVE_TRANSPOSE_MIN)) {
        const args = this.args!,
          at = NATIVE_ARGS.transpose;
        args[at.rows] = rows;
        args[at.cols] = cols;
        args[at.b] = b;
        args[at.ldb] = ldb;
        args[at.out] = o;
        this.native!.transpose(this.buffer!, SCRATCH_BYTES);
      } else t(rows, cols, b, ldb, o);
    } else transposeLd(rows, cols, B, bOff, ldb, out, outOff);
  }

  /** a[i] = tanh(a[i]) over [from, from + length). */
  tanh(a: FloatArray, from: number, length: number): void {
    const t = this.wasmTanh;
    if ((t !== null || this.allNative) && this.owns(a)) {
      if (t === null || (this.args !== null && length >= NATIVE_TANH_MIN)) {
        this.args![NATIVE_ARGS.tanh.at] = a.byteOffset + from * this.word;
        this.args![NATIVE_ARGS.tanh.count] = length;
        this.native!.tanh(this.buffer!, SCRATCH_BYTES);
      } else t(a.byteOffset + from * 8, length);
    } else tanhInPlace(a, from, length);
  }
}
