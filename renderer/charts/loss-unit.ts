// The unit a run's loss is drawn in. Cross-entropy is stored in nats per
// sequence (a sum over its counted steps, docs/math.md); divided by the
// counted steps and ln 2 it is bits per character (text) or per symbol
// (copy), the figure such models are compared by. Squared error stays as
// stored.

import type { EvalMetrics, RunConfig } from '../../common/contract';
import type { Point } from '../../common/m4';

export interface LossUnit {
  /** Multiplies a stored loss of one sequence. */
  perSequence: number;
  /** Multiplies a stored loss of one time step. */
  perStep: number;
  /** Names the unit of a sequence's loss (scaled) on an axis or in a title. */
  name: string;
  /** Names the unit of one time step's loss (scaled). */
  stepName: string;
}

export function lossUnit(config: RunConfig | null | undefined, latest: EvalMetrics | null): LossUnit {
  if (config?.loss.kind !== 'xent') return { perSequence: 1, perStep: 1, name: 'squared error per sequence', stepName: 'squared error' };
  const mask = latest?.lab?.probeMask;
  const counted = mask ? mask.reduce((a, b) => a + (b !== 0 ? 1 : 0), 0) : (latest?.probe.T ?? null);
  const what = config.task.kind === 'text' ? 'character' : 'symbol';
  const stepName = `bits per ${what}`;
  if (counted === null || counted === 0) return { perSequence: 1, perStep: 1 / Math.LN2, name: 'nats per sequence', stepName };
  return { perSequence: 1 / (counted * Math.LN2), perStep: 1 / Math.LN2, name: stepName, stepName };
}

/** The points with y multiplied by f (a new array; the buffers are shared). */
export function scaled(points: readonly Point[], f: number): readonly Point[] {
  return f === 1 ? points : points.map((p) => ({ x: p.x, y: p.y * f }));
}
