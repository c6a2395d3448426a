// How long a run will take, measured rather than guessed: build the run's
// trainer in this (worker) process, time its first steps until their speed
// is steady (0.3 to 3 s) and one evaluation, and project the whole run. The
// multiply-add count alone was 22x off for rtrl-fast (its kernels are far
// faster than the count suggests) and 3.7x for RTRL; timing the real
// config on the real kernels is within 2x on the bench workloads
// (bench/estimate.ts).

import type { RunConfig, RunTiming } from '../common/contract';
import { serialize } from 'node:v8';
import { HealthWatch } from './health-watch';
import { DivergedError, Trainer } from './trainer';

/**
 * Time at least this many steps and this long, and at most this long (the
 * first step is always timed, however long it takes). A fresh process's
 * first steps are slow until the JIT has compiled them, a warm-up counted
 * in calls more than in time: rtrl-fast d = 32 takes 50 ms a step for its
 * first 25 steps and 2 ms after 100; sine d = 4 takes 1.6 ms for its first
 * few hundred and 0.065 ms after a few thousand.
 */
export const TIMING_MIN_STEPS = 500;
export const TIMING_MIN_MS = 300;
export const TIMING_MAX_MS = 3000;
/** Steps are steady when the last quarter of the timing runs at the speed of each of the two quarters before it, within this share. */
const STEADY = 0.15;

export interface TimingSamples {
  /** Building the trainer (the task's data, buffers, kernels) and the first evaluation a run makes at step 0. */
  setupMs: number;
  /** When each timed step ended, in ms from the first step's start (cumulative, increasing). */
  stepEnds: readonly number[];
  /** One evaluation (validation loss, histograms, probe, eigenvalues), after the steps. */
  evalMs: number;
}

/** Mean ms per step of the steps that ended between shares `from` and `to` of the timing (null: fewer than two steps there). */
function msPerStepWithin(stepEnds: readonly number[], from: number, to: number): number | null {
  const end = stepEnds[stepEnds.length - 1];
  let i = 0;
  while (i < stepEnds.length - 1 && stepEnds[i] < from * end) i++;
  let j = i;
  while (j < stepEnds.length - 1 && stepEnds[j + 1] <= to * end) j++;
  return j > i ? (stepEnds[j] - stepEnds[i]) / (j - i) : null;
}

/** Past the warm-up: the last quarter of the timing runs at the speed of the second and of the third (a slow plateau that then drops is not steady). */
export function isSteady(stepEnds: readonly number[]): boolean {
  const last = msPerStepWithin(stepEnds, 0.75, 1);
  if (last === null) return false;
  return [msPerStepWithin(stepEnds, 0.25, 0.5), msPerStepWithin(stepEnds, 0.5, 0.75)].every(
    (q) => q !== null && Math.abs(last / q - 1) <= STEADY,
  );
}

/**
 * The run's projected time from its timed first steps: setup, the steps
 * timed as they were (warm-up included: the real run pays it too), the
 * rest at the speed of the timing's last quarter, and one evaluation per
 * evalEvery steps.
 */
export function projectRun(samples: TimingSamples, steps: number, evalEvery: number): RunTiming {
  const { setupMs, stepEnds, evalMs } = samples;
  const k = stepEnds.length;
  if (k === 0) throw new RangeError('projectRun: no step was timed');
  const end = stepEnds[k - 1];
  const msPerStep = msPerStepWithin(stepEnds, 0.75, 1) ?? end / k;
  const timed = Math.min(k, steps);
  const evals = Math.ceil(steps / Math.max(1, evalEvery));
  const totalMs = setupMs + stepEnds[timed - 1] + (steps - timed) * msPerStep + evals * evalMs;
  return { msPerStep, evalMs, setupMs, startMs: 0, stepsTimed: k, timingMs: end, totalMs };
}

/**
 * Time the config's first steps as the worker's loop takes them (the
 * step, its health check, its metrics serialized as a progress message
 * would be) until they are steady past the minimum timing, for at most the
 * maximum, or until the run is done; evaluations are timed apart, at the
 * config's evalEvery (and once at the end when none fell in the timing).
 */
export function timeSteps(config: RunConfig, minMs = TIMING_MIN_MS, maxMs = TIMING_MAX_MS): TimingSamples {
  const t0 = performance.now();
  const trainer = new Trainer(config);
  const watch = new HealthWatch(trainer);
  watch.evaluate();
  const setupMs = performance.now() - t0;
  const stepEnds: number[] = [];
  const evals: number[] = [];
  const evaluate = () => {
    const e0 = performance.now();
    serialize(watch.evaluate());
    evals.push(performance.now() - e0);
  };
  const start = performance.now();
  let nextCheck = minMs,
    evalTotal = 0;
  for (;;) {
    try {
      const m = trainer.runStep();
      serialize(m);
      watch.step(m);
    } catch (e) {
      // a run that diverges ends there: what was timed is what it will cost, at most
      if (e instanceof DivergedError && stepEnds.length > 0) break;
      throw e;
    }
    const t = performance.now() - start - evalTotal;
    stepEnds.push(t);
    if (trainer.step % config.training.evalEvery === 0) {
      evaluate();
      evalTotal += evals[evals.length - 1];
    }
    if (trainer.done || t >= maxMs) break;
    // look every 10 % more time, so a long timing costs few checks
    if (t >= nextCheck && stepEnds.length >= TIMING_MIN_STEPS) {
      if (isSteady(stepEnds)) break;
      nextCheck = t * 1.1;
    }
  }
  if (evals.length === 0) evaluate();
  return { setupMs, stepEnds, evalMs: evals.reduce((a, b) => a + b, 0) / evals.length };
}

/** What `config:time` answers: the config timed in this process and projected to its whole run (the host adds the worker's start). */
export function timeRun(config: RunConfig): RunTiming {
  return projectRun(timeSteps(config), config.training.steps, config.training.evalEvery);
}
