// A sweep's trials from its spec, the same every time for the same spec:
// a grid's every combination (the last path varying fastest), or `trials`
// random draws from the sweep seed; each repeated once per run seed.

import type { Distribution, SweepSpec } from './spec';

export interface TrialPlan {
  /** 0, 1, 2, … in the order the trials are run. */
  index: number;
  /** Config path → the value this trial sets. */
  params: Record<string, unknown>;
  /** The run seed this trial sets, or null for the base config's. */
  seed: number | null;
}

export function expandTrials(spec: SweepSpec): TrialPlan[] {
  const combos = spec.grid ? gridCombinations(spec.grid) : randomDraws(spec.random ?? {}, spec.trials ?? 1, spec.seed);
  const seeds = spec.seeds ?? [null];
  return combos.flatMap((params) => seeds.map((seed) => ({ params, seed }))).map((t, index) => ({ index, ...t }));
}

function gridCombinations(grid: Record<string, unknown[]>): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
  return combos;
}

function randomDraws(random: Record<string, Distribution>, trials: number, seed: number): Record<string, unknown>[] {
  const next = mulberry32(seed);
  return Array.from({ length: trials }, () => Object.fromEntries(Object.entries(random).map(([path, d]) => [path, sample(d, next())])));
}

/** The distribution's value at u ∈ [0, 1). */
export function sample(d: Distribution, u: number): unknown {
  switch (d.kind) {
    case 'uniform':
      return d.min + u * (d.max - d.min);
    case 'logUniform':
      return Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min)));
    case 'int':
      return d.min + Math.floor(u * (d.max - d.min + 1));
    case 'choice':
      return d.values[Math.floor(u * d.values.length)];
  }
}

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): small, seeded, and
 * enough for drawing a few hundred hyperparameters; uniform in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
