import { describe, expect, it } from 'vitest';
import { STEP_SERIES } from '../../common/series';
import { MATRIX_NAMES } from '../../common/values';
import type { StepMetrics } from '../../common/contract';
import { checkSeriesName, splitSteps } from '../../main/store/series';
import { liveSeriesNames } from '../../renderer/stores/live-series';

const perMatrix = (v: number) => Object.fromEntries(MATRIX_NAMES.map((m) => [m, v]));
const step: StepMetrics = {
  step: 0,
  loss: 1,
  lr: 0.1,
  gradNorm: perMatrix(2),
  weightNorm: perMatrix(3),
  updateRatio: perMatrix(4),
  spectralRadius: 0.9,
  saturation: 0,
  timestepsPerSec: 100,
  wallMs: 5,
};

describe('the shared series names', () => {
  it('are the columns the store splits a step into', () => {
    expect([...splitSteps([step], null).keys()].sort()).toEqual([...STEP_SERIES].sort());
  });

  it('include every series the run view asks the store for', () => {
    for (const name of liveSeriesNames(MATRIX_NAMES)) expect(checkSeriesName(name)).toBe(name);
  });
});
