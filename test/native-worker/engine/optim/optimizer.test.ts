import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../../../common/contract';
import { createOptimizer, type Optimizer } from '../../../../native-worker/engine/optim/optimizer';
import { scheduledLr } from '../../../../native-worker/engine/optim/schedule';
import { Rng } from '../../../../native-worker/engine/prng';
import type { FloatArray } from '../../../../native-worker/engine/tensor';
import { everyOptimizer } from './configs';

// f(θ) = ½ Σ a_i θ_i² with a spanning 1..100 geometrically: condition number 100.
const n = 10;
const curvature = Float64Array.from({ length: n }, (_, i) => Math.pow(100, i / (n - 1)));

function quadratic(theta: ArrayLike<number>): number {
  let f = 0;
  for (let i = 0; i < n; i++) f += 0.5 * curvature[i] * theta[i] * theta[i];
  return f;
}

function quadraticGrad(theta: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < n; i++) out[i] = curvature[i] * theta[i];
}

function minimise(opt: Optimizer, theta: FloatArray, lr: number, steps: number): void {
  const g = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    quadraticGrad(theta, g);
    opt.step(theta, g, lr);
  }
}

describe('createOptimizer on a badly-conditioned quadratic', () => {
  for (const { name, config, lr } of everyOptimizer) {
    it(`${name} reduces f by more than 1e4 in 200 steps`, () => {
      const theta = new Float64Array(n).fill(1);
      const f0 = quadratic(theta);
      minimise(createOptimizer(config, n, 0), theta, lr, 200);
      expect(quadratic(theta)).toBeLessThan(f0 * 1e-4);
    });

    it(`${name} does the same with float32 parameters`, () => {
      const theta = new Float32Array(n).fill(1);
      const f0 = quadratic(theta);
      const opt = createOptimizer(config, n, 0);
      minimise(opt, theta, lr, 200);
      expect(quadratic(theta)).toBeLessThan(f0 * 1e-4);
      expect(opt.getState().buffers.every((b) => b instanceof Float64Array)).toBe(true);
    });
  }
});

describe('float32 parameters', () => {
  for (const { name, config } of everyOptimizer) {
    it(`${name}: a step rounds the float64 result to float32 once`, () => {
      const start = [0.3, -1.7, 2.2, 0];
      const grads = Float64Array.from([0.11, -0.7, 3.3, -0.05]);
      const p64 = Float64Array.from(start.map(Math.fround));
      const p32 = Float32Array.from(start);
      createOptimizer(config, 4, 0).step(p64, grads, 0.1);
      createOptimizer(config, 4, 0).step(p32, grads, 0.1);
      expect(Array.from(p32)).toEqual(Array.from(p64, Math.fround));
      expect(Array.from(p32)).not.toEqual(start.map(Math.fround));
    });
  }
});

describe('checkpoint and resume', () => {
  const steps = 12;
  const cut = 5;
  const schedule = { kind: 'cosine', period: 10, minLr: 0.001 } as const;
  // Biases (the last two entries) are exempt from weight decay, as the engine will do.
  const mask = Uint8Array.from({ length: n }, (_, i) => (i < n - 2 ? 1 : 0));

  // Noisy gradients of the quadratic, drawn up front so that both runs see the same numbers.
  const noise = (() => {
    const rng = new Rng(7);
    return Array.from({ length: steps }, () => Float64Array.from({ length: n }, () => 0.1 * rng.normal()));
  })();

  function run(config: OptimizerConfig, lr: number, theta: FloatArray, opt: Optimizer, from: number, to: number): void {
    const g = new Float64Array(n);
    for (let s = from; s < to; s++) {
      quadraticGrad(theta, g);
      for (let i = 0; i < n; i++) g[i] += noise[s][i];
      opt.step(theta, g, scheduledLr(lr, schedule, s));
    }
  }

  for (const { name, config, lr } of everyOptimizer) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${name} (${dtype}) continues bit-identically from a saved state`, () => {
        const make = (): FloatArray => (dtype === 'float32' ? new Float32Array(n).fill(1) : new Float64Array(n).fill(1));

        const straight = make();
        const straightOpt = createOptimizer(config, n, 0.05, mask);
        run(config, lr, straight, straightOpt, 0, steps);

        const first = make();
        const firstOpt = createOptimizer(config, n, 0.05, mask);
        run(config, lr, first, firstOpt, 0, cut);
        const saved = firstOpt.getState();
        const savedParams = first.slice();

        const resumed = savedParams.slice();
        const resumedOpt = createOptimizer(config, n, 0.05, mask);
        resumedOpt.setState(saved);
        run(config, lr, resumed, resumedOpt, cut, steps);

        expect(Array.from(resumed)).toEqual(Array.from(straight));
        expect(resumedOpt.getState()).toEqual(straightOpt.getState());

        // Control: a fresh optimizer without the saved state ends elsewhere
        // (SGD has no buffers, so for it the two coincide).
        const cold = savedParams.slice();
        run(config, lr, cold, createOptimizer(config, n, 0.05, mask), cut, steps);
        if (config.kind === 'sgd') expect(Array.from(cold)).toEqual(Array.from(straight));
        else expect(Array.from(cold)).not.toEqual(Array.from(straight));
      });
    }
  }
});

describe('createOptimizer rejects bad configuration', () => {
  const bad: [string, OptimizerConfig, RegExp][] = [
    ['momentum of 1', { kind: 'momentum', momentum: 1, nesterov: false }, /optimizer\.momentum must be in \[0, 1\), got 1/],
    ['negative momentum', { kind: 'momentum', momentum: -0.1, nesterov: true }, /optimizer\.momentum/],
    ['zero adagrad eps', { kind: 'adagrad', eps: 0 }, /optimizer\.eps must be a finite number > 0, got 0/],
    ['rho of 1', { kind: 'rmsprop', rho: 1, eps: 1e-8 }, /optimizer\.rho must be in \[0, 1\)/],
    ['NaN rmsprop eps', { kind: 'rmsprop', rho: 0.9, eps: Number.NaN }, /optimizer\.eps/],
    ['beta1 of 1', { kind: 'adam', beta1: 1, beta2: 0.999, eps: 1e-8 }, /optimizer\.beta1/],
    ['beta2 above 1', { kind: 'adam', beta1: 0.9, beta2: 1.5, eps: 1e-8 }, /optimizer\.beta2/],
    ['unknown kind', { kind: 'lion' } as unknown as OptimizerConfig, /optimizer\.kind must be one of .*got "lion"/],
  ];
  for (const [what, config, message] of bad) {
    it(`names the field for ${what}`, () => {
      expect(() => createOptimizer(config, 3, 0)).toThrow(RangeError);
      expect(() => createOptimizer(config, 3, 0)).toThrow(message);
    });
  }

  it('rejects a bad size or weight decay', () => {
    expect(() => createOptimizer({ kind: 'sgd' }, -1, 0)).toThrow(/size must be a non-negative integer/);
    expect(() => createOptimizer({ kind: 'sgd' }, 2.5, 0)).toThrow(/size/);
    expect(() => createOptimizer({ kind: 'sgd' }, 3, -0.1)).toThrow(/training\.weightDecay must be a finite number ≥ 0/);
    expect(() => createOptimizer({ kind: 'sgd' }, 3, Number.NaN)).toThrow(/training\.weightDecay/);
  });

  it('rejects a step with mismatched lengths or a bad learning rate', () => {
    const opt = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 3, 0);
    expect(() => opt.step(new Float64Array(4), new Float64Array(3), 0.1)).toThrow(/adam: params has 4 values, expected 3/);
    expect(() => opt.step(new Float64Array(3), new Float64Array(2), 0.1)).toThrow(/adam: grads has 2 values, expected 3/);
    expect(() => opt.step(new Float64Array(3), new Float64Array(3), Number.NaN)).toThrow(/adam: lr must be a finite number ≥ 0/);
    expect(() => opt.step(new Float64Array(3), new Float64Array(3), -1)).toThrow(RangeError);
    expect(opt.getState().t).toBe(0);
  });
});
