// Dense matrix products over row-major typed arrays (leading dimension =
// number of columns). These plain loops are the reference kernels: any fast
// path must agree with them within rounding. Loop orders keep the innermost
// loop contiguous in memory.

import type { FloatArray } from './tensor';

/** C[M×N] (+)= A[M×K] · B[N×K]ᵀ  (row · row dot products). */
export function gemmNT(
  M: number,
  N: number,
  K: number,
  A: ArrayLike<number>,
  aOff: number,
  B: ArrayLike<number>,
  bOff: number,
  C: FloatArray,
  cOff: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * K;
    const ci = cOff + i * N;
    for (let j = 0; j < N; j++) {
      const bj = bOff + j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[ai + k] * B[bj + k];
      C[ci + j] = accumulate ? C[ci + j] + s : s;
    }
  }
}

/** C[M×N] (+)= A[M×K] · B[K×N]. */
export function gemmNN(
  M: number,
  N: number,
  K: number,
  A: ArrayLike<number>,
  aOff: number,
  B: ArrayLike<number>,
  bOff: number,
  C: FloatArray,
  cOff: number,
  accumulate: boolean,
): void {
  if (!accumulate) C.fill(0, cOff, cOff + M * N);
  for (let i = 0; i < M; i++) {
    const ci = cOff + i * N;
    for (let k = 0; k < K; k++) {
      const a = A[aOff + i * K + k];
      const bk = bOff + k * N;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** C[M×N] (+)= A[K×M]ᵀ · B[K×N]  (a sum of outer products of rows). */
export function gemmTN(
  M: number,
  N: number,
  K: number,
  A: ArrayLike<number>,
  aOff: number,
  B: ArrayLike<number>,
  bOff: number,
  C: FloatArray,
  cOff: number,
  accumulate: boolean,
): void {
  if (!accumulate) C.fill(0, cOff, cOff + M * N);
  for (let k = 0; k < K; k++) {
    const ak = aOff + k * M;
    const bk = bOff + k * N;
    for (let i = 0; i < M; i++) {
      const a = A[ak + i];
      const ci = cOff + i * N;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}
