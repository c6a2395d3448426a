// The sweep view's data: trials with their live runs and status in words,
// chart rows, short labels, axes from the spec, and the sweep routes.

import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../common/contract';
import type { SweepDetail, SweepTrial } from '../../common/sweep-contract';
import { hrefOf, parseHash } from '../../renderer/stores/nav';
import { axisSpecs, paramRows, paramValue, shortLabels, trialViews } from '../../renderer/sweeps/rows';

const run = (id: number, o: Partial<RunSummary> = {}) =>
  ({ id, status: 'completed', bestValidationLoss: 0.5, lastStep: 200, ...o }) as RunSummary;
const trial = (n: number, o: Partial<SweepTrial> = {}): SweepTrial => ({
  trial: n,
  params: { 'training.lr': 0.01 * (n + 1), seed: n },
  seed: n,
  outcome: null,
  reason: null,
  run: null,
  ...o,
});
const detail = (trials: SweepTrial[], spec: unknown, params = ['training.lr', 'seed']): SweepDetail =>
  ({ id: 1, name: 's', spec, params, trialList: trials }) as unknown as SweepDetail;

describe('trial views', () => {
  const d = detail(
    [
      trial(0, { outcome: 'completed', run: run(10) }),
      trial(1, { outcome: 'stopped-early', reason: 'rung 0', run: run(11, { status: 'stopped' }) }),
      trial(2, { run: run(12, { status: 'queued', bestValidationLoss: null }) }),
      trial(3),
      trial(4, { outcome: 'failed', run: run(14, { status: 'diverged', bestValidationLoss: Number.NaN }) }),
    ],
    {},
  );

  it('say the outcome once decided, else the live run status, else pending', () => {
    const live = new Map([[12, run(12, { status: 'running', lastStep: 40, bestValidationLoss: 0.9 })]]);
    const v = trialViews(d, live);
    expect(v.map((t) => t.status)).toEqual(['completed', 'stopped early', 'running', 'pending', 'failed']);
    expect(v[2].run?.lastStep).toBe(40);
  });

  it('become chart rows with their best validation loss (none while not finite)', () => {
    const rows = paramRows(trialViews(d, new Map()), d.params);
    expect(rows.map((r) => [r.runId, r.metric, r.label])).toEqual([
      [10, 0.5, 'trial 0 · run #10 (completed)'],
      [11, 0.5, 'trial 1 · run #11 (stopped early)'],
      [12, null, 'trial 2 · run #12 (queued)'],
      [14, null, 'trial 4 · run #14 (failed)'],
    ]);
    expect(rows[0].params).toEqual({ 'training.lr': 0.01, seed: 0 });
  });

  it('turn values that are neither numbers nor strings into their JSON', () => {
    expect([paramValue(1), paramValue('a'), paramValue(true), paramValue({ kind: 'adam' })]).toEqual([1, 'a', 'true', '{"kind":"adam"}']);
  });
});

describe('axes', () => {
  it('are labelled by the last segment of the path unless two share it', () => {
    expect(shortLabels(['training.lr', 'model.hidden', 'seed'])).toEqual(['lr', 'hidden', 'seed']);
    expect(shortLabels(['a.kind', 'b.kind', 'c'])).toEqual(['a.kind', 'b.kind', 'c']);
  });

  it('follow the spec: log for logUniform, categories in order for non-numbers, seeds as categories', () => {
    const d = detail([], {
      random: {
        'training.lr': { kind: 'logUniform', min: 1e-4, max: 0.1 },
        'model.activation': { kind: 'choice', values: ['tanh', 'relu'] },
        'model.hidden': { kind: 'int', min: 4, max: 32 },
      },
      seeds: [1, 2],
    });
    d.params = ['training.lr', 'model.activation', 'model.hidden', 'seed'];
    expect(axisSpecs(d)).toEqual([
      { key: 'training.lr', label: 'lr', scale: 'log' },
      { key: 'model.activation', label: 'activation', scale: 'category', categories: ['tanh', 'relu'] },
      { key: 'model.hidden', label: 'hidden' },
      { key: 'seed', label: 'seed', scale: 'category' },
    ]);
    const g = detail([], { grid: { 'method.kind': ['rtrl', 'bptt'], seed: [1, 2] } }, ['method.kind', 'seed']);
    expect(axisSpecs(g)).toEqual([
      { key: 'method.kind', label: 'kind', scale: 'category', categories: ['rtrl', 'bptt'] },
      { key: 'seed', label: 'seed' },
    ]);
  });
});

describe('routes', () => {
  it('reach the sweeps and one sweep', () => {
    expect(parseHash('#/sweeps')).toEqual({ name: 'sweeps', id: null, query: {} });
    expect(parseHash('#/sweeps/7')).toEqual({ name: 'sweep', id: 7, query: {} });
    expect(hrefOf('sweep', 7)).toBe('#/sweeps/7');
    expect(hrefOf('sweeps')).toBe('#/sweeps');
  });
});
