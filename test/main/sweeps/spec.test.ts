// Sweep specs: expansion (grid counts, seeded random draws, seeds) and the
// messages a bad spec gets, each naming its field.

import { describe, expect, it } from 'vitest';
import { expandTrials, sample } from '../../../main/sweeps/expand';
import { parseSweepSpec, SweepSpecError, trialConfig } from '../../../main/sweeps/spec';

const errorsOf = (raw: unknown): string[] => {
  try {
    parseSweepSpec(raw);
  } catch (e) {
    if (e instanceof SweepSpecError) return e.issues.map((i) => `${i.field}: ${i.message}`);
    throw e;
  }
  return [];
};

describe('sweep expansion', () => {
  it('a grid runs every combination, the last path fastest, once per seed', () => {
    const spec = parseSweepSpec({
      name: 'g',
      grid: { 'training.lr': [0.1, 0.01, 0.001], 'method.kind': ['rtrl', 'bptt'] },
      seeds: [1, 2],
    });
    const trials = expandTrials(spec);
    expect(trials).toHaveLength(12);
    expect(trials.slice(0, 5)).toEqual([
      { index: 0, params: { 'training.lr': 0.1, 'method.kind': 'rtrl' }, seed: 1 },
      { index: 1, params: { 'training.lr': 0.1, 'method.kind': 'rtrl' }, seed: 2 },
      { index: 2, params: { 'training.lr': 0.1, 'method.kind': 'bptt' }, seed: 1 },
      { index: 3, params: { 'training.lr': 0.1, 'method.kind': 'bptt' }, seed: 2 },
      { index: 4, params: { 'training.lr': 0.01, 'method.kind': 'rtrl' }, seed: 1 },
    ]);
    const config = trialConfig(spec, trials[3].params, trials[3].seed);
    expect([config.training.lr, config.method.kind, config.seed]).toEqual([0.1, 'bptt', 2]);
  });

  it('random draws are the same for the same sweep seed, differ for another, and stay in range', () => {
    const raw = {
      name: 'r',
      base: { model: { hidden: 8 } },
      random: {
        'training.lr': { kind: 'logUniform', min: 1e-4, max: 1e-1 },
        'model.hidden': { kind: 'int', min: 4, max: 6 },
        'model.gain': { kind: 'uniform', min: 0.5, max: 1.5 },
        'model.activation': { kind: 'choice', values: ['tanh', 'relu'] },
      },
      trials: 200,
      seed: 7,
    };
    const a = expandTrials(parseSweepSpec(raw));
    expect(a).toEqual(expandTrials(parseSweepSpec(raw)));
    expect(a.map((t) => t.params)).not.toEqual(expandTrials(parseSweepSpec({ ...raw, seed: 8 })).map((t) => t.params));
    expect(a).toHaveLength(200);
    const lr = a.map((t) => t.params['training.lr'] as number);
    expect(Math.min(...lr)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...lr)).toBeLessThan(1e-1);
    // log-uniform: about half the draws below the geometric middle (1e-2.5)
    expect(Math.abs(lr.filter((v) => v < 10 ** -2.5).length - 100)).toBeLessThan(30);
    expect(new Set(a.map((t) => t.params['model.hidden']))).toEqual(new Set([4, 5, 6]));
    expect(new Set(a.map((t) => t.params['model.activation']))).toEqual(new Set(['tanh', 'relu']));
    expect(a.every((t) => t.seed === null)).toBe(true);
  });

  it('each distribution maps [0, 1) onto its range', () => {
    expect(sample({ kind: 'uniform', min: 2, max: 4 }, 0.25)).toBe(2.5);
    expect(sample({ kind: 'logUniform', min: 1, max: 100 }, 0.5)).toBeCloseTo(10, 12);
    expect(sample({ kind: 'int', min: 1, max: 3 }, 0.999)).toBe(3);
    expect(sample({ kind: 'int', min: 1, max: 3 }, 0)).toBe(1);
    expect(sample({ kind: 'choice', values: ['a', 'b', 'c', 'd'] }, 0.5)).toBe('c');
  });
});

describe('sweep spec validation', () => {
  it('names the spec field that is wrong', () => {
    expect(errorsOf({ grid: { 'training.lr': [0.1] } })).toEqual(['name: is required']);
    expect(errorsOf({ name: 'x', grid: { 'training.lr': [] } })).toEqual(['grid["training.lr"]: must list at least one value']);
    expect(errorsOf({ name: 'x' })).toEqual(['spec: give either "grid" or "random"']);
    expect(errorsOf({ name: 'x', random: { 'training.lr': { kind: 'uniform', min: 0, max: 1 } } })).toEqual([
      'trials: is required with "random" (how many draws)',
    ]);
    expect(errorsOf({ name: 'x', random: { 'training.lr': { kind: 'uniform', min: 1, max: 1 } }, trials: 2 })).toEqual([
      'random["training.lr"].max: must be greater than min (1)',
    ]);
    expect(errorsOf({ name: 'x', random: { 'training.lr': { kind: 'normal' } }, trials: 2 })).toEqual([
      'random["training.lr"].kind: must be one of uniform, logUniform, int, choice',
    ]);
    expect(errorsOf({ name: 'x', grid: { seed: [1, 2] }, seeds: [3] })).toEqual(['seeds: cannot be given while "seed" is also swept']);
    expect(errorsOf({ name: 'x', grid: { 'model.hidden': [4] }, earlyStopping: { kind: 'asha', minSteps: 0 } })).toEqual([
      'earlyStopping.minSteps: must be at least 1',
    ]);
    expect(errorsOf({ name: 'x', grid: { 'model.hidden': [4] }, colour: 1 })).toEqual(['spec: unknown field "colour"']);
    expect(errorsOf({ name: 'x', grid: { a: Array(200).fill(1), b: Array(100).fill(1) } })[0]).toBe(
      'spec: expands to 20000 trials; at most 10000 are allowed',
    );
  });

  it('checks the base config and every value a path sets against the run config schema', () => {
    expect(errorsOf({ name: 'x', base: { training: { lr: -1 } }, grid: { 'model.hidden': [4] } })).toEqual([
      'base: training.lr: must be greater than 0',
    ]);
    expect(errorsOf({ name: 'x', grid: { 'training.lrr': [0.1] } })).toEqual(['grid["training.lrr"][0]: training: unknown field "lrr"']);
    expect(errorsOf({ name: 'x', grid: { 'training.lr': [0.1, 0, 'fast'] } })).toEqual([
      'grid["training.lr"][1]: training.lr: must be greater than 0',
      'grid["training.lr"][2]: training.lr: must be a finite number, got string',
    ]);
    expect(errorsOf({ name: 'x', random: { 'model.hidden': { kind: 'int', min: 0, max: 8 } }, trials: 3 })).toEqual([
      'random["model.hidden"].min: model.hidden: must be at least 1',
    ]);
    expect(errorsOf({ name: 'x', random: { 'method.kind': { kind: 'choice', values: ['rtrl', 'magic'] } }, trials: 3 })).toEqual([
      'random["method.kind"].values[1]: method.kind: must be one of rtrl, rtrl-online, bptt, tbptt, rtrl-fast',
    ]);
  });
});
