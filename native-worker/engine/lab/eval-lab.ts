// The gradient lab's numbers taken at every evaluation, cheap enough to
// keep with each one (a float64 forward pass and one backward chain on a
// vector over the probe, O(T·d²)): how far back the gradient reaches on the
// probe (flow.ts), the probe's loss per time step and its mask, the probe
// decoded as characters for symbol tasks, and for the approximate methods
// the step's gradient against the exact one (full BPTT on the same
// sequences at the weights the step started from, as the trainer computes it).

import type { Activation, EvalLab, GradientAlignment, PerMatrix } from '../../../common/contract';
import type { Batch } from '../batch';
import { lossRows, type LossSpec } from '../loss';
import type { Layout } from '../params';
import type { FloatArray } from '../tensor';
import { flowNorms, statesOf } from './flow';
import { cosine } from './referee';

/** Symbols of a task without a vocabulary (copy): 0–9, then a–z. */
const SYMBOLS = '0123456789abcdefghijklmnopqrstuvwxyz';
/** A step whose target is masked, in the decoded probe. */
export const MASKED_CHAR = '·';

/** The probe's outputs y (T × n, from the run's own forward pass) decoded, with its loss per step and the flow at weights p. */
export function probeLab(
  layout: Layout,
  act: Activation,
  p: FloatArray,
  probe: Batch,
  Y: ArrayLike<number>,
  loss: LossSpec,
  symbols: { vocabulary: readonly string[] | null } | null,
): Omit<EvalLab, 'alignment'> {
  const { T, n, mask } = probe;
  const e = new Float64Array(n);
  const probeLoss: number[] = [];
  const y = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < n; k++) y[k] = Y[t * n + k];
    const counted = mask === null || mask[t] !== 0;
    probeLoss.push(counted ? lossRows(loss, n, 1, y, 0, probe.y, t * n, null, 0, 1, e, 0) : Number.NaN);
  }
  const p64 = p instanceof Float64Array ? p : Float64Array.from(p);
  const { states, fp } = statesOf(layout, act, p64, probe);
  return {
    flow: flowNorms(layout, p64, probe, loss, states, fp),
    probeLoss,
    probeMask: mask === null ? null : Array.from(mask),
    probeText: symbols === null ? null : decodeProbe(probe, Y, symbols.vocabulary),
  };
}

function argmax(v: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (v[off + k] > v[off + best]) best = k;
  return best;
}

/** Targets and argmax outputs as characters; a step with no target (masked, all zero) shows MASKED_CHAR in both. */
export function decodeProbe(probe: Batch, Y: ArrayLike<number>, vocabulary: readonly string[] | null): { target: string; output: string } {
  const { T, n, mask } = probe;
  const char = (k: number) => vocabulary?.[k] ?? SYMBOLS[k] ?? '?';
  let target = '',
    output = '';
  for (let t = 0; t < T; t++) {
    let mass = 0;
    for (let k = 0; k < n; k++) mass += probe.y[t * n + k];
    if ((mask !== null && mask[t] === 0) || mass === 0) {
      target += MASKED_CHAR;
      output += MASKED_CHAR;
      continue;
    }
    target += char(argmax(probe.y, t * n, n));
    output += char(argmax(Y, t * n, n));
  }
  return { target, output };
}

/** Cosine and norm ratio, per matrix and overall, of `used` (the gradient a step applied, summed over its updates) against `exact`; `step` names the step. */
export function gradientAlignment(layout: Layout, used: ArrayLike<number>, exact: ArrayLike<number>, step: number): GradientAlignment {
  const ratio = (idx: readonly number[]): number => {
    let a = 0,
      b = 0;
    for (const i of idx) {
      a += used[i] * used[i];
      b += exact[i] * exact[i];
    }
    return b === 0 ? (a === 0 ? 1 : Infinity) : Math.sqrt(a / b);
  };
  const all = Array.from({ length: layout.size }, (_, i) => i);
  const cos: PerMatrix & { all: number } = { all: cosine(used, exact, all) };
  const norm: PerMatrix & { all: number } = { all: ratio(all) };
  for (const blk of layout.blocks) {
    const idx = all.slice(blk.offset, blk.offset + blk.size);
    cos[blk.name] = cosine(used, exact, idx);
    norm[blk.name] = ratio(idx);
  }
  return { step, cosine: cos, normRatio: norm };
}
