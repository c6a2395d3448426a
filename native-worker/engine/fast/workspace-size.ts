// How much memory a workspace (workspace.ts) takes, and where its buffers
// lie, known without loading any kernel: the memory check (memory.ts) reads
// it in the main process, which never loads the engine's kernels.

/** The fast kernels' kinds (workspace.ts chooses one per process). */
export type KernelKind = 'native' | 'wasm-fma' | 'wasm' | 'ts';

export const PAGE = 65536;
/** Scratch for gemm's packed panels at the start of the memory (SCRATCH_BYTES in kernels.as, checked at load). */
export const SCRATCH_BYTES = (64 * 256 + 256 * 4) * 8;
/** The native kernels' argument block (11 int32) follows the scratch. */
export const ARGS_BYTES = 64;
/** Views start on 64-byte boundaries (cache lines). */
const ALIGN_BYTES = 64;

/** WebAssembly's memory limit (65,536 pages of 64 KiB): every workspace of a WebAssembly or native kind must fit in it. */
export const WASM_MEMORY_LIMIT = 65536 * PAGE;

/**
 * Where each buffer starts and the total, in values of `word` bytes (8 for
 * float64, 4 for a float32 workspace), scratch included for the WebAssembly kinds.
 */
export function placement(
  lengths: Readonly<Record<string, number>>,
  kind: KernelKind,
  word: 4 | 8 = 8,
): { offsets: number[]; total: number } {
  const align = ALIGN_BYTES / word;
  let total = kind === 'ts' ? 0 : (SCRATCH_BYTES + ARGS_BYTES) / word;
  const offsets = Object.entries(lengths).map(([name, n]) => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`workspace buffer ${name}: length must be a whole number ≥ 0, got ${n}`);
    const at = total;
    total += Math.ceil(n / align) * align;
    return at;
  });
  return { offsets, total };
}

/** The bytes a workspace of these buffers takes (in WebAssembly memory unless kind is 'ts'), of `word`-byte values. */
export function workspaceBytes(lengths: Readonly<Record<string, number>>, kind: KernelKind, word: 4 | 8 = 8): number {
  return word * placement(lengths, kind, word).total;
}

/**
 * The kind a memory check outside the worker assumes, without loading any
 * kernel: 'ts' where RNN_WORKBENCH_KERNELS forces it or there is no
 * WebAssembly, else 'wasm', whose workspaces take what every other kind's
 * take ('native' and 'wasm-fma' keep theirs in WebAssembly memory too). A
 * worker whose WebAssembly fails to load computes with 'ts' and needs no
 * more than this; it checks again with its own kind before it allocates.
 */
export function checkedKernelKind(): KernelKind {
  const { process, WebAssembly } = globalThis as { process?: { env: Record<string, string | undefined> }; WebAssembly?: unknown };
  return process?.env.RNN_WORKBENCH_KERNELS === 'ts' || WebAssembly === undefined ? 'ts' : 'wasm';
}
