// RTRL, BPTT and finite differences must agree (MATH.md, "What must hold"):
// RTRL vs BPTT to rounding, both vs central differences to 1e-6.

import { describe, expect, it } from 'vitest';
import type { Activation } from '../../../common/contract';
import { Bptt } from '../../../native-worker/engine/bptt';
import { gradCheck, relativeError } from '../../../native-worker/engine/gradcheck';
import { lossSpec } from '../../../native-worker/engine/loss';
import { makeCase, shape, type Case } from './fixtures';

const activations: Activation[] = ['tanh', 'relu', 'sigmoid', 'identity'];
const shapes = [
  { name: 'm = n (the original derivation)', shape: shape(3, 5, 3), T: 7, B: 1 },
  { name: 'm ≠ n, batch of 2', shape: shape(2, 4, 3), T: 6, B: 2 },
  { name: 'm ≠ n with both biases', shape: shape(4, 6, 2, true), T: 9, B: 3 },
  { name: 'single unit', shape: shape(1, 1, 1, true), T: 5, B: 1 },
];

describe('RTRL, BPTT and finite differences agree (float64)', () => {
  for (const act of activations) {
    for (const s of shapes) {
      it(`${act}, ${s.name}`, () => {
        const { layout, p, batch } = makeCase({ ...s, act });
        const r = gradCheck(layout, act, p, batch, lossSpec({ kind: 'mse', scale: null }, s.shape.n));
        for (const blk of layout.blocks) {
          expect(r.rtrlVsBptt[blk.name], `RTRL vs BPTT, ${blk.name}`).toBeLessThanOrEqual(1e-10);
          expect(r.rtrlVsFiniteDiff[blk.name], `RTRL vs FD, ${blk.name}`).toBeLessThanOrEqual(1e-6);
          expect(r.bpttVsFiniteDiff[blk.name], `BPTT vs FD, ${blk.name}`).toBeLessThanOrEqual(1e-6);
        }
        // Every matrix really has a gradient (a zero gradient would agree trivially).
        for (const blk of layout.blocks) {
          const g = r.gradients.bptt.subarray(blk.offset, blk.offset + blk.size);
          expect(Math.max(...g.map(Math.abs)), blk.name).toBeGreaterThan(1e-8);
        }
      });
    }
  }

  it('with masked time steps, a custom loss scale, and softmax cross-entropy', () => {
    const cases: Case[] = [
      { name: 'mask', shape: shape(3, 4, 2, true), T: 8, B: 2, act: 'tanh', masked: true },
      { name: 'xent', shape: shape(5, 6, 5, true), T: 7, B: 2, act: 'tanh', onehot: true, masked: true },
    ];
    for (const c of cases) {
      const { layout, p, batch } = makeCase(c);
      const spec = c.onehot ? lossSpec({ kind: 'xent' }, c.shape.n) : lossSpec({ kind: 'mse', scale: 0.3 }, c.shape.n);
      const r = gradCheck(layout, c.act, p, batch, spec);
      expect(Math.max(...Object.values(r.rtrlVsBptt)), c.name).toBeLessThanOrEqual(1e-10);
      expect(r.worst, c.name).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('truncated BPTT', () => {
  const c: Case = { name: 'tbptt', shape: shape(2, 5, 2), T: 12, B: 2, act: 'tanh' };
  const { layout, p, batch } = makeCase(c);
  const spec = lossSpec({ kind: 'mse', scale: null }, 2);
  const grad = (k: number | null): Float64Array => {
    const g = new Float64Array(layout.size);
    new Bptt(layout, 'tanh', 'float64', c.T, c.B, k).gradient(p, batch, spec, g);
    return g;
  };

  it('with k ≥ T is exactly full BPTT', () => {
    expect(grad(c.T)).toEqual(grad(null));
    expect(grad(100)).toEqual(grad(null));
  });

  it('with k < T is an approximation that leaves V exact', () => {
    const full = grad(null),
      cut = grad(3);
    expect(relativeError(full, cut, layout.W, c.shape.d ** 2)).toBeGreaterThan(1e-4);
    expect(relativeError(full, cut, layout.V, c.shape.n * c.shape.d)).toBe(0);
  });

  it('with k = 1 keeps only the immediate terms', () => {
    // δz^t = f'(z^t) ⊙ Vᵀe^t with no recurrence through W, so
    // ∂E/∂W_ij = Σ_t δz_i^t s_j^{t−1}: computed here by hand from the forward states.
    const { d, n } = c.shape;
    const g = grad(1);
    const bp = new Bptt(layout, 'tanh', 'float64', c.T, c.B, 1);
    bp.gradient(p, batch, spec, new Float64Array(layout.size));
    const { S, Y } = bp.forward;
    const expected = new Float64Array(d * d);
    for (let t = 0; t < c.T; t++) {
      for (let b = 0; b < c.B; b++) {
        const r = t * c.B + b;
        for (let i = 0; i < d; i++) {
          let vte = 0;
          for (let k = 0; k < n; k++) vte += p[layout.V + k * d + i] * (-2 / n / c.B) * (batch.y[r * n + k] - Y[r * n + k]);
          const s = S[(r + c.B) * d + i];
          const dz = (1 - s * s) * vte;
          for (let j = 0; j < d; j++) expected[i * d + j] += dz * S[r * d + j];
        }
      }
    }
    expect(relativeError(expected, g.subarray(layout.W, layout.W + d * d))).toBeLessThan(1e-13);
  });
});
