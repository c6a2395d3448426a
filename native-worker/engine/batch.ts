// A batch of B sequences of length T, laid out time-major: row (t, b) of
// the inputs is x[(t·B + b)·m ..], so each time step's B rows are one
// contiguous block and whole-sequence products are single matrix products.

export interface Batch {
  T: number;
  B: number;
  m: number;
  n: number;
  x: Float64Array; // T·B × m
  y: Float64Array; // T·B × n targets
  mask: Float64Array | null; // T·B weights of E^t, null when every step counts
}

export function newBatch(T: number, B: number, m: number, n: number, masked: boolean): Batch {
  return {
    T,
    B,
    m,
    n,
    x: new Float64Array(T * B * m),
    y: new Float64Array(T * B * n),
    mask: masked ? new Float64Array(T * B) : null,
  };
}

/** Copy one sequence (x: T×m, y: T×n, mask: T or null) into column b of the batch. */
export function putSequence(batch: Batch, b: number, seq: { x: Float64Array; y: Float64Array; mask: Float64Array | null }): void {
  const { T, B, m, n, x, y, mask } = batch;
  const sx = seq.x,
    sy = seq.y,
    sm = seq.mask;
  for (let t = 0; t < T; t++) {
    const r = t * B + b;
    for (let j = 0; j < m; j++) x[r * m + j] = sx[t * m + j];
    for (let k = 0; k < n; k++) y[r * n + k] = sy[t * n + k];
    if (mask) mask[r] = sm ? sm[t] : 1;
  }
}
