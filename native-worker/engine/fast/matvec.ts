// W v in the fast kernels, for the per-step spectral-radius estimate
// (metrics/spectral.ts, MatVec): W is copied (transposed) into a Workspace
// once per estimate, then each Arnoldi step is one row-vector product. In
// the plain kernels the sums run in the order of the tracker's own loops.

import type { MatVec } from '../metrics/spectral';
import { kernelKind, Workspace, type KernelKind } from './workspace';

export class FastMatVec implements MatVec {
  private readonly ws: Workspace;
  private readonly A: Float64Array; // n × n as given
  private readonly At: Float64Array; // its transpose
  private readonly v: Float64Array;
  private readonly y: Float64Array;

  constructor(readonly n: number, kernels: KernelKind = kernelKind()) {
    this.ws = new Workspace([n * n, n * n, n, n], kernels);
    [this.A, this.At, this.v, this.y] = this.ws.arrays;
  }

  prepare(a: ArrayLike<number>, offset: number): void {
    const { n, A } = this;
    for (let i = 0; i < n * n; i++) A[i] = a[offset + i];
    this.ws.transpose(n, n, A, 0, n, this.At, 0);
  }

  apply(v: Float64Array, vOff: number, y: Float64Array): void {
    const n = this.n;
    this.v.set(v.subarray(vOff, vOff + n));
    this.ws.nn(1, n, n, this.v, 0, n, this.At, 0, n, this.y, 0, n, false);
    y.set(this.y);
  }
}
