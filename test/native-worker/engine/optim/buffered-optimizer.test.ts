import { describe, expect, it } from 'vitest';
import type { OptimizerState } from '../../../../native-worker/engine/optim/optimizer';
import { createOptimizer } from '../../../../native-worker/engine/optim/optimizer';

const adamConfig = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

function trainedAdam() {
  const opt = createOptimizer(adamConfig, 3, 0);
  opt.step(Float64Array.from([1, 2, 3]), Float64Array.from([0.1, -0.2, 0.3]), 0.01);
  opt.step(Float64Array.from([1, 2, 3]), Float64Array.from([0.4, 0.5, -0.6]), 0.01);
  return opt;
}

function state(t: number, ...buffers: number[][]): OptimizerState {
  return { t, buffers: buffers.map((b) => Float64Array.from(b)) };
}

describe('optimizer state', () => {
  it('getState returns a deep copy', () => {
    const opt = trainedAdam();
    const copy = opt.getState();
    const before = opt.getState();
    copy.buffers[0].fill(99);
    copy.buffers[1].fill(99);
    copy.t = 50;
    expect(opt.getState()).toEqual(before);
    expect(before.t).toBe(2);
  });

  it('setState copies the buffers in', () => {
    const opt = createOptimizer(adamConfig, 3, 0);
    const s = state(4, [0.1, 0.2, 0.3], [1, 2, 3]);
    opt.setState(s);
    s.buffers[0].fill(-7);
    expect(opt.getState()).toEqual(state(4, [0.1, 0.2, 0.3], [1, 2, 3]));
  });

  const rejected: [string, OptimizerState, RegExp][] = [
    ['too few buffers', state(1, [0, 0, 0]), /adam state: expected 2 buffers \(m, v\), got 1/],
    ['too many buffers', state(1, [0, 0, 0], [0, 0, 0], [0, 0, 0]), /expected 2 buffers/],
    ['a short buffer', state(1, [0, 0, 0], [0, 0]), /adam state: buffer v has 2 values, expected 3/],
    ['a long buffer', state(1, [0, 0, 0, 0], [0, 0, 0]), /buffer m has 4 values, expected 3/],
    ['a NaN', state(1, [0, Number.NaN, 0], [0, 0, 0]), /adam state: m\[1\] is NaN, not a finite number/],
    ['an infinity', state(1, [0, 0, 0], [0, 0, Infinity]), /v\[2\] is Infinity/],
    ['a negative second moment', state(1, [-1, 0, 0], [0, -1e-3, 0]), /adam state: v\[1\] is -0\.001, must be ≥ 0/],
    ['a negative t', state(-1, [0, 0, 0], [0, 0, 0]), /adam state: t must be a non-negative integer, got -1/],
    ['a fractional t', state(1.5, [0, 0, 0], [0, 0, 0]), /t must be a non-negative integer/],
    [
      'a plain array',
      {
        t: 1,
        buffers: [
          [0, 0, 0],
          [0, 0, 0],
        ] as unknown as Float64Array[],
      },
      /buffer m must be a Float64Array/,
    ],
  ];
  for (const [what, bad, message] of rejected) {
    it(`setState rejects ${what} and keeps its state`, () => {
      const opt = trainedAdam();
      const before = opt.getState();
      expect(() => opt.setState(bad)).toThrow(RangeError);
      expect(() => opt.setState(bad)).toThrow(message);
      expect(opt.getState()).toEqual(before);
    });
  }

  it('checks the buffer count of every kind', () => {
    const one = state(1, [0, 0]);
    expect(() => createOptimizer({ kind: 'sgd' }, 2, 0).setState(one)).toThrow(/sgd state: expected 0 buffers \(none\), got 1/);
    expect(() => createOptimizer({ kind: 'momentum', momentum: 0.9, nesterov: false }, 2, 0).setState(state(1))).toThrow(
      /momentum state: expected 1 buffers \(velocity\), got 0/,
    );
    expect(() => createOptimizer({ kind: 'adagrad', eps: 1e-10 }, 2, 0).setState(state(1, [0, -1]))).toThrow(/sum\[1\] is -1/);
    expect(() => createOptimizer({ kind: 'rmsprop', rho: 0.9, eps: 1e-8 }, 2, 0).setState(state(1, [Number.NaN, 0]))).toThrow(
      /rmsprop state: squareAvg\[0\] is NaN/,
    );
  });

  it('accepts a negative velocity or first moment', () => {
    const momentum = createOptimizer({ kind: 'momentum', momentum: 0.9, nesterov: true }, 2, 0);
    momentum.setState(state(3, [-1, 2]));
    expect(momentum.getState()).toEqual(state(3, [-1, 2]));
  });
});
