// The gradient referee: on fixed weights and one batch, the gradient by
// exact RTRL, full BPTT, truncated BPTT(k) for a few k, and central finite
// differences, compared pairwise matrix by matrix (relative error and
// cosine), with each method's time and working memory. Exact RTRL and BPTT
// agree to rounding and both match the differences (MATH.md, "What must
// hold"); truncated BPTT(k) is an approximation, and its cosine to the
// exact gradient below 1 is what the referee is there to show.

import type { Activation, PerMatrix } from '../../../common/contract';
import { METHODS } from '../../methods/table';
import type { Batch } from '../batch';
import { Bptt } from '../bptt';
import { finiteDifferences, relativeError, sampledIndices } from '../gradcheck';
import type { LossSpec } from '../loss';
import type { Layout } from '../params';
import type { Rng } from '../prng';
import { Rtrl, rtrlGradient } from '../rtrl';

export interface RefereeMethod {
  /** "rtrl", "bptt", "tbptt(k)" or "finite differences". */
  name: string;
  /** Wall time of computing the gradient (the reference kernels, float64). */
  ms: number;
  /** Bytes of the method's working state. */
  bytes: number;
  /** ‖∂E/∂θ‖ per matrix, over the compared entries. */
  norm: PerMatrix;
}

export interface RefereePair {
  a: string;
  b: string;
  /** ‖a − b‖ / max(‖a‖, ‖b‖) per matrix. */
  relativeError: PerMatrix;
  /** a·b / (‖a‖ ‖b‖) per matrix (1 when both are zero, 0 when one is). */
  cosine: PerMatrix;
}

export interface RefereeReport {
  T: number;
  B: number;
  /** Entries compared per matrix (all, or a seeded sample for big models). */
  checked: PerMatrix;
  methods: RefereeMethod[];
  pairs: RefereePair[];
}

export interface RefereeOptions {
  /** Truncation lengths; those ≥ T (full BPTT) are left out. Default 1, 5, 20. */
  ks?: number[];
  /** Finite-difference step. */
  h?: number;
  /** Limits finite differences to a seeded sample of entries per matrix. */
  sample?: { perMatrix: number; rng: Rng } | null;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>, idx: readonly number[]): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (const i of idx) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 && nb === 0) return 1;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function referee(
  layout: Layout,
  act: Activation,
  p: Float64Array,
  batch: Batch,
  loss: LossSpec,
  o: RefereeOptions = {},
): RefereeReport {
  const { ks = [1, 5, 20], h = 1e-5, sample = null } = o;
  const { T, B } = batch;
  const sizes = { layout, T, B, dtype: 'float64' as const };
  const subsets = sampledIndices(layout, sample);
  const timed = (compute: (grad: Float64Array) => void): { grad: Float64Array; ms: number } => {
    const grad = new Float64Array(layout.size);
    const t0 = performance.now();
    compute(grad);
    return { grad, ms: performance.now() - t0 };
  };
  const runs: { name: string; bytes: number; grad: Float64Array; ms: number }[] = [];
  runs.push({
    name: 'rtrl',
    bytes: METHODS.rtrl.cost(sizes).workingBytes,
    ...timed((g) => rtrlGradient(new Rtrl(layout, act, 'float64'), p, batch, loss, g)),
  });
  runs.push({
    name: 'bptt',
    bytes: METHODS.bptt.cost(sizes).workingBytes,
    ...timed((g) => new Bptt(layout, act, 'float64', T, B, null).gradient(p, batch, loss, g)),
  });
  for (const k of [...new Set(ks)].filter((k) => Number.isInteger(k) && k >= 1 && k < T).sort((a, b) => a - b)) {
    runs.push({
      name: `tbptt(${k})`,
      bytes: METHODS.tbptt.cost(sizes).workingBytes,
      ...timed((g) => new Bptt(layout, act, 'float64', T, B, k).gradient(p, batch, loss, g)),
    });
  }
  const { d, n } = layout.shape;
  runs.push({
    name: 'finite differences',
    // the evaluator's forward pass (states and outputs) and its error scratch
    bytes: 8 * ((T + 1) * B * d + 2 * T * B * n),
    ...timed((g) => g.set(finiteDifferences(layout, act, Float64Array.from(p), batch, loss, h, subsets.flat()))),
  });

  const perMatrix = (f: (idx: number[]) => number): PerMatrix => {
    const out: PerMatrix = {};
    layout.blocks.forEach((blk, k) => (out[blk.name] = f(subsets[k])));
    return out;
  };
  const pairs: RefereePair[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const a = runs[i].grad,
        b = runs[j].grad;
      pairs.push({
        a: runs[i].name,
        b: runs[j].name,
        relativeError: perMatrix((idx) =>
          relativeError(
            idx.map((q) => a[q]),
            idx.map((q) => b[q]),
          ),
        ),
        cosine: perMatrix((idx) => cosine(a, b, idx)),
      });
    }
  }
  return {
    T,
    B,
    checked: perMatrix((idx) => idx.length),
    methods: runs.map((r) => ({
      name: r.name,
      ms: r.ms,
      bytes: r.bytes,
      norm: perMatrix((idx) => Math.sqrt(idx.reduce((s, q) => s + r.grad[q] ** 2, 0))),
    })),
    pairs,
  };
}
