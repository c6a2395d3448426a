// The portable kernels of the fast path: plain loops over typed arrays with
// leading dimensions, summing every output element term by term in k order,
// exactly as the WebAssembly kernels (../wasm/kernels.as) and the reference
// kernels of ../gemm.ts do, so all three give the same bits.

import type { FloatArray } from '../tensor';

/** C[M×N] (+)= A[M×K] · B[K×N]; lda, ldb, ldc are row strides in elements. */
export function gemmNNld(
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  aOff: number,
  lda: number,
  B: FloatArray,
  bOff: number,
  ldb: number,
  C: FloatArray,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
    const ci = cOff + i * ldc;
    if (!accumulate) C.fill(0, ci, ci + N);
    const ai = aOff + i * lda;
    for (let k = 0; k < K; k++) {
      const a = A[ai + k];
      const bk = bOff + k * ldb;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** C[M×N] (+)= A[K×M]ᵀ · B[K×N]: a sum over k of outer products of rows. */
export function gemmTNld(
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  aOff: number,
  lda: number,
  B: FloatArray,
  bOff: number,
  ldb: number,
  C: FloatArray,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (!accumulate) for (let i = 0; i < M; i++) C.fill(0, cOff + i * ldc, cOff + i * ldc + N);
  for (let k = 0; k < K; k++) {
    const ak = aOff + k * lda;
    const bk = bOff + k * ldb;
    for (let i = 0; i < M; i++) {
      const a = A[ak + i];
      const ci = cOff + i * ldc;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** out[cols×rows] = B[rows×cols]ᵀ (B with row stride ldb). */
export function transposeLd(rows: number, cols: number, B: FloatArray, bOff: number, ldb: number, out: FloatArray, outOff: number): void {
  for (let i = 0; i < rows; i++) {
    const bi = bOff + i * ldb;
    for (let j = 0; j < cols; j++) out[outOff + j * rows + i] = B[bi + j];
  }
}
