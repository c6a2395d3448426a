// Asynchronous successive halving (ASHA; Li et al. 2020), as Optuna's
// SuccessiveHalvingPruner decides it: rung r sits at minSteps · η^r steps.
// A trial reaching a rung records its metric there and goes on only if it
// is among the best 1/η of every value recorded at that rung so far (its
// own included; a NaN never competes); while fewer than η values are there, only a new best goes
// on. Lower is better. A NaN value is always stopped.

/** The step of rung `rung`. */
export function rungStep(minSteps: number, reductionFactor: number, rung: number): number {
  return minSteps * reductionFactor ** rung;
}

/** Whether a trial with `value` at a rung goes on, given the values recorded there (its own included). */
export function promotes(value: number, atRung: readonly number[], reductionFactor: number): boolean {
  if (Number.isNaN(value)) return false;
  const sorted = atRung.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const index = Math.max(0, Math.floor(sorted.length / reductionFactor) - 1);
  return value <= sorted[index];
}

/** Why a trial was stopped early, in its outcome and its run's end message. */
export function earlyStopReason(
  sweepId: number,
  at: { rung: number; step: number; metric: string; value: number },
  reductionFactor: number,
  trials: number,
): string {
  return (
    `stopped early by sweep ${sweepId} at rung ${at.rung} (step ${at.step}): ${at.metric} ${at.value} ` +
    `is not in the best 1/${reductionFactor} of the ${trials} trials that reached it`
  );
}
