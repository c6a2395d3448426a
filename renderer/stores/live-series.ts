// Which series the run view draws, and how one step's metrics feed them.

import { SCALAR_SERIES, type PerMatrixField } from '../../common/series';
import type { MatrixName, RunConfig, StepMetrics } from '../../common/contract';
import type { Point } from '../../common/m4';

/** The per-matrix series the run view keeps live (not weightNorm). */
export const PER_MATRIX = ['gradNorm', 'updateRatio'] as const satisfies readonly PerMatrixField[];

export function matricesOf(config: RunConfig): MatrixName[] {
  return ['U', 'W', 'V', ...(config.model.hiddenBias ? (['b'] as const) : []), ...(config.model.outputBias ? (['c'] as const) : [])];
}

/** Every series name the run view keeps, for a run with these matrices. */
export function liveSeriesNames(matrices: readonly MatrixName[]): string[] {
  return [...SCALAR_SERIES, 'validationLoss', ...PER_MATRIX.flatMap((f) => matrices.map((m) => `${f}.${m}`))];
}

/**
 * Series measured only at some steps (training.spectralEvery): a NaN there
 * marks a step that was not measured, so it is left out and the line joins
 * the measured steps, instead of breaking at every step between them.
 */
const CADENCED: ReadonlySet<string> = new Set(['spectralRadius']);
/** NaN, or the null that JSON (serve mode's wire) makes of it. */
const unmeasured = (v: number | null): boolean => typeof v !== 'number' || Number.isNaN(v);

/** A series' points, without the unmeasured steps of a cadenced one. */
export function measuredPoints(series: string, steps: readonly number[], values: readonly number[]): Point[] {
  const out: Point[] = [];
  const cadenced = CADENCED.has(series);
  for (let i = 0; i < steps.length; i++) if (!cadenced || !unmeasured(values[i])) out.push({ x: steps[i], y: values[i] });
  return out;
}

/** Call `put(series, value)` for every series value one step carries (not the unmeasured steps of a cadenced series). */
export function forEachValue(s: StepMetrics, matrices: readonly MatrixName[], put: (series: string, value: number) => void): void {
  for (const k of SCALAR_SERIES) if (!(CADENCED.has(k) && unmeasured(s[k]))) put(k, s[k]);
  for (const f of PER_MATRIX) {
    const per = s[f];
    for (const m of matrices) {
      const v = per[m];
      if (v !== undefined) put(`${f}.${m}`, v);
    }
  }
}
