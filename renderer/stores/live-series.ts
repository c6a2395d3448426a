// Which series the run view draws, and how one step's metrics feed them.

import { SCALAR_SERIES, type PerMatrixField } from '../../common/series';
import type { MatrixName, RunConfig, StepMetrics } from '../../common/contract';

/** The per-matrix series the run view keeps live (not weightNorm). */
export const PER_MATRIX = ['gradNorm', 'updateRatio'] as const satisfies readonly PerMatrixField[];

export function matricesOf(config: RunConfig): MatrixName[] {
  return ['U', 'W', 'V', ...(config.model.hiddenBias ? (['b'] as const) : []), ...(config.model.outputBias ? (['c'] as const) : [])];
}

/** Every series name the run view keeps, for a run with these matrices. */
export function liveSeriesNames(matrices: readonly MatrixName[]): string[] {
  return [...SCALAR_SERIES, 'validationLoss', ...PER_MATRIX.flatMap((f) => matrices.map((m) => `${f}.${m}`))];
}

/** Call `put(series, value)` for every series value one step carries. */
export function forEachValue(s: StepMetrics, matrices: readonly MatrixName[], put: (series: string, value: number) => void): void {
  for (const k of SCALAR_SERIES) put(k, s[k]);
  for (const f of PER_MATRIX) {
    const per = s[f];
    for (const m of matrices) {
      const v = per[m];
      if (v !== undefined) put(`${f}.${m}`, v);
    }
  }
}
