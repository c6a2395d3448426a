// The model's parameters live in one flat array: U (d×m), W (d×d), V (n×d),
// then b (d) and c (n) when switched on. One array keeps the optimizer,
// clipping, norms and snapshots simple flat loops.

import type { Dtype, InitScheme, MatrixData, MatrixName, ModelConfig, Weights } from '../../common/contract';
import type { Rng } from './prng';
import { allocate, type FloatArray } from './tensor';

export interface Shape {
  /** input size */ m: number;
  /** hidden size */ d: number;
  /** output size */ n: number;
  hiddenBias: boolean;
  outputBias: boolean;
}

export interface Block {
  name: MatrixName;
  rows: number;
  cols: number;
  offset: number;
  size: number;
}

export interface Layout {
  shape: Shape;
  blocks: Block[];
  U: number;
  W: number;
  V: number;
  /** Offset of b, or −1 when the model has no hidden bias. */
  b: number;
  /** Offset of c, or −1 when the model has no output bias. */
  c: number;
  size: number;
}

export function layoutOf(shape: Shape): Layout {
  const { m, d, n } = shape;
  const dims: [MatrixName, number, number][] = [
    ['U', d, m],
    ['W', d, d],
    ['V', n, d],
  ];
  if (shape.hiddenBias) dims.push(['b', d, 1]);
  if (shape.outputBias) dims.push(['c', n, 1]);
  const blocks: Block[] = [];
  let offset = 0;
  for (const [name, rows, cols] of dims) {
    blocks.push({ name, rows, cols, offset, size: rows * cols });
    offset += rows * cols;
  }
  const at = (name: MatrixName): number => blocks.find((b) => b.name === name)?.offset ?? -1;
  return { shape, blocks, U: at('U'), W: at('W'), V: at('V'), b: at('b'), c: at('c'), size: offset };
}

/** The layout of a run's model, whose task has m inputs and n outputs. */
export function modelLayout(model: Pick<ModelConfig, 'hidden' | 'hiddenBias' | 'outputBias'>, m: number, n: number): Layout {
  return layoutOf({ m, d: model.hidden, n, hiddenBias: model.hiddenBias, outputBias: model.outputBias });
}

/**
 * Columns of RTRL's sensitivity matrix [P Q R] (MATH.md): dm for U, d² for
 * W, d for b when present; the matrix has d rows.
 */
export function sensitivityColumns(shape: Pick<Shape, 'm' | 'd' | 'hiddenBias'>): number {
  const { m, d, hiddenBias } = shape;
  return d * m + d * d + (hiddenBias ? d : 0);
}

/**
 * The first column of each block of [P Q R] (MATH.md): P (∂s/∂U, dm
 * columns) at 0, Q (∂s/∂W, d²) after it, R (∂s/∂b, d) last. P and Q are
 * adjacent as U and W are in the parameters.
 */
export function sensitivityOffsets({ m, d }: Pick<Shape, 'm' | 'd'>): { Q: number; R: number } {
  return { Q: d * m, R: d * m + d * d };
}

/** 1 for entries that weight decay applies to (matrices), 0 for biases. */
export function decayMask(layout: Layout): Uint8Array {
  const mask = new Uint8Array(layout.size);
  for (const b of layout.blocks) if (b.name !== 'b' && b.name !== 'c') mask.fill(1, b.offset, b.offset + b.size);
  return mask;
}

/**
 * Initial parameters. U and V: uniform ±1/sqrt(fan_in) (Glorot: ±sqrt(6/(fan_in+fan_out))
 * for every matrix). W: the same uniform, Glorot, a random orthogonal matrix
 * times `gain`, or `gain`·I. Biases start at 0. Draws happen in the order U, W, V.
 */
export function initParams(layout: Layout, dtype: Dtype, scheme: InitScheme, gain: number, rng: Rng): FloatArray {
  const p = allocate(dtype, layout.size);
  const gaussian = initDraws(layout, scheme, rng, p);
  const W = layout.blocks[1];
  if (gaussian) {
    orthonormalize(gaussian, W.rows);
    for (let i = 0; i < W.size; i++) p[W.offset + i] = gain * gaussian[i];
  } else if (scheme === 'identity') for (let i = 0; i < W.rows; i++) p[W.offset + i * W.rows + i] = gain;
  return p;
}

/** Advances rng past initParams' draws without making the parameters: where a run that starts from given weights takes over. */
export function skipInitDraws(layout: Layout, scheme: InitScheme, rng: Rng): void {
  initDraws(layout, scheme, rng, null);
}

/**
 * Every random draw of initParams, in its order: the uniform entries (into
 * p, when given), and for an orthogonal W the Gaussian matrix it is made
 * from (returned when p is given; else null).
 */
function initDraws(layout: Layout, scheme: InitScheme, rng: Rng, p: FloatArray | null): Float64Array | null {
  const fill = (blk: Block): void => {
    const r = scheme === 'glorot' ? Math.sqrt(6 / (blk.rows + blk.cols)) : 1 / Math.sqrt(blk.cols);
    for (let i = 0; i < blk.size; i++) {
      const v = rng.range(-r, r);
      if (p) p[blk.offset + i] = v;
    }
  };
  const [U, W, V] = layout.blocks;
  let gaussian: Float64Array | null = null;
  fill(U);
  if (scheme === 'orthogonal') {
    gaussian = p ? new Float64Array(W.size) : null;
    for (let i = 0; i < W.size; i++) {
      const v = rng.normal();
      if (gaussian) gaussian[i] = v;
    }
  } else if (scheme !== 'identity') fill(W);
  fill(V);
  return gaussian;
}

/** The rows of q (d × d) orthonormalised in place: modified Gram–Schmidt, twice; Q is then the orthogonal factor of the Gaussian matrix. */
function orthonormalize(q: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += q[i * d + k] * q[j * d + k];
        for (let k = 0; k < d; k++) q[i * d + k] -= dot * q[j * d + k];
      }
    }
    let nrm = 0;
    for (let k = 0; k < d; k++) nrm += q[i * d + k] * q[i * d + k];
    nrm = Math.sqrt(nrm);
    for (let k = 0; k < d; k++) q[i * d + k] /= nrm;
  }
}

/** The parameters as named matrices (copies), for checkpoints and export. */
export function toWeights(layout: Layout, p: FloatArray): Weights {
  const out: Partial<Record<MatrixName, MatrixData>> = {};
  for (const b of layout.blocks) {
    out[b.name] = { rows: b.rows, cols: b.cols, data: Float64Array.from(p.subarray(b.offset, b.offset + b.size)) };
  }
  return out as Weights;
}

/** Load named matrices into a flat parameter array, checking every shape against the layout. */
export function fromWeights(layout: Layout, weights: Weights, dtype: Dtype): FloatArray {
  const p = allocate(dtype, layout.size);
  const names = new Set(layout.blocks.map((b) => b.name));
  for (const key of Object.keys(weights)) {
    if (!names.has(key as MatrixName)) throw new RangeError(`weights: the model has no matrix "${key}" (it has ${[...names].join(', ')})`);
  }
  for (const b of layout.blocks) {
    const w = weights[b.name];
    if (!w) throw new RangeError(`weights: matrix ${b.name} is missing`);
    if (w.rows !== b.rows || w.cols !== b.cols || w.data.length !== b.size) {
      throw new RangeError(`weights: ${b.name} is ${w.rows}×${w.cols} (${w.data.length} values); the model needs ${b.rows}×${b.cols}`);
    }
    for (let i = 0; i < b.size; i++) {
      const v = w.data[i];
      if (!Number.isFinite(v)) throw new RangeError(`weights: ${b.name}[${Math.floor(i / b.cols)},${i % b.cols}] is ${v}`);
      p[b.offset + i] = v;
    }
  }
  return p;
}
