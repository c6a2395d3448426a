// Which series the run view draws, and how one step's metrics feed them.

import type { MatrixName, RunConfig, StepMetrics } from '../../main/contract';

export const SCALARS = ['loss', 'lr', 'spectralRadius', 'saturation', 'timestepsPerSec', 'wallMs'] as const;
export const PER_MATRIX = ['gradNorm', 'updateRatio'] as const;
export type Scalar = (typeof SCALARS)[number];
export type PerMatrixField = (typeof PER_MATRIX)[number];

export function matricesOf(config: RunConfig): MatrixName[] {
  return ['U', 'W', 'V', ...(config.model.hiddenBias ? (['b'] as const) : []), ...(config.model.outputBias ? (['c'] as const) : [])];
}

/** Every series name the run view keeps, for a run with these matrices. */
export function liveSeriesNames(matrices: readonly MatrixName[]): string[] {
  return [...SCALARS, 'validationLoss', ...PER_MATRIX.flatMap((f) => matrices.map((m) => `${f}.${m}`))];
}

/** Call `put(series, value)` for every series value one step carries. */
export function forEachValue(s: StepMetrics, matrices: readonly MatrixName[], put: (series: string, value: number) => void): void {
  for (const k of SCALARS) put(k, s[k]);
  for (const f of PER_MATRIX) {
    const per = s[f];
    for (const m of matrices) {
      const v = per[m];
      if (v !== undefined) put(`${f}.${m}`, v);
    }
  }
}
