// W v in the fast kernels, for the per-step spectral-radius estimate
// (metrics/spectral.ts, MatVec): W is copied (transposed) into a Workspace
// once per estimate, then each Arnoldi step is one row-vector product. In
// the plain kernels the sums run in the order of the tracker's own loops.
//
// The transpose is kept in column chunks of CHUNK: chunk c holds columns
// [c·CHUNK, (c+1)·CHUNK) of Wᵀ as an n × CHUNK block of its own, so each
// chunk's product reads one contiguous stream (a 512 × 512 W does not fit one
// core's L2 cache; read by rows of Wᵀ, every k would touch a new page). Each
// output element is still one sum over k in order, so the bits are those of
// a single product. A float32 run's estimate multiplies in float32 where the
// native kernels are loaded (half the bytes of W to stream; its weights are
// float32 already), v rounded to float32 and y summed in float32.

import type { Dtype } from '../../../common/contract';
import type { MatVec } from '../metrics/spectral';
import { matVecLengths } from '../buffers';
import type { FloatArray } from '../tensor';
import { float32Available, kernelKind, Workspace, type KernelKind } from './workspace';

const CHUNK = 32;

export class FastMatVec implements MatVec {
  private readonly ws: Workspace<keyof ReturnType<typeof matVecLengths>, FloatArray>;

  /** dtype: the run's; float32 multiplies in float32 with native kernels, else float64 as for every other run. */
  constructor(
    readonly n: number,
    kernels: KernelKind = kernelKind(),
    dtype: Dtype = 'float64',
  ) {
    const single = dtype === 'float32' && kernels === 'native' && float32Available();
    this.ws = new Workspace(matVecLengths(n), kernels, single ? 'float32' : 'float64');
  }

  prepare(a: ArrayLike<number>, offset: number): void {
    const { n, ws } = this;
    const { A, At } = ws.buffers;
    if (a instanceof Float64Array || a instanceof Float32Array) A.set(a.subarray(offset, offset + n * n));
    else for (let i = 0; i < n * n; i++) A[i] = a[offset + i];
    // chunk c of Wᵀ is the transpose of rows [c·CHUNK, …) of W
    for (let j0 = 0; j0 < n; j0 += CHUNK) ws.transpose(Math.min(CHUNK, n - j0), n, A, j0 * n, n, At, j0 * n);
  }

  apply(v: Float64Array, vOff: number, y: Float64Array): void {
    const { n, ws } = this;
    const buf = ws.buffers;
    buf.v.set(v.subarray(vOff, vOff + n));
    // chunk c: y[c·CHUNK …] = vᵀ · (chunk c of Wᵀ, n × w)
    for (let j0 = 0; j0 < n; j0 += CHUNK) {
      const w = Math.min(CHUNK, n - j0);
      ws.nn({ M: 1, N: w, K: n, A: buf.v, lda: n, B: buf.At, bOff: j0 * n, ldb: w, C: buf.y, cOff: j0, ldc: n });
    }
    y.set(buf.y);
  }
}
