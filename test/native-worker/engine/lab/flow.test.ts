// Gradient flow and state-Jacobian norms against brute force: the product
// D_T W ⋯ D_(T−k+1) W multiplied out densely for every lag, its norm from
// the (independent) nonsymmetric QR eigen-solver on PᵀP, and the flow as
// ‖Pᵀ g_0‖; then chains long enough to leave float64's range.

import { describe, expect, it } from 'vitest';
import { gradientFlow, jacobianNorms } from '../../../../native-worker/engine/lab/flow';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { eigenvalues } from '../../../../native-worker/engine/metrics/eigen';
import { newBatch } from '../../../../native-worker/engine/batch';
import { layoutOf } from '../../../../native-worker/engine/params';
import { Rng } from '../../../../native-worker/engine/prng';
import { makeCase, shape } from '../fixtures';
import { multiply, orthogonal, transpose } from '../metrics/matrices';

/** ‖P‖₂ by the QR eigenvalues of PᵀP. */
function normByQr(p: Float64Array, d: number): number {
  const eig = eigenvalues(multiply(transpose(p, d), p, d), 0, d);
  return Math.sqrt(Math.max(...eig.filter((_, i) => i % 2 === 0)));
}

describe('gradient flow through time', () => {
  for (const act of ['tanh', 'sigmoid', 'identity'] as const) {
    it(`matches explicit products of D_t W for every lag (${act}, with biases)`, () => {
      const { layout, p, batch } = makeCase({ name: act, shape: shape(3, 6, 2, true), T: 11, B: 1, act }, 21);
      const { m, d, n } = layout.shape;
      const T = batch.T;
      // the states, written out
      const s: Float64Array[] = [new Float64Array(d)];
      const D: Float64Array[] = [];
      for (let t = 1; t <= T; t++) {
        const st = new Float64Array(d),
          dt = new Float64Array(d);
        for (let i = 0; i < d; i++) {
          let z = p[layout.b + i];
          for (let j = 0; j < m; j++) z += p[layout.U + i * m + j] * batch.x[(t - 1) * m + j];
          for (let j = 0; j < d; j++) z += p[layout.W + i * d + j] * s[t - 1][j];
          st[i] = act === 'tanh' ? Math.tanh(z) : act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z;
          dt[i] = act === 'tanh' ? 1 - st[i] ** 2 : act === 'sigmoid' ? st[i] * (1 - st[i]) : 1;
        }
        s.push(st);
        D.push(dt);
      }
      // g_0 = Vᵀ e^T with e^T = −2g(ŷ − y), g = 1/n
      const g0 = new Float64Array(d);
      for (let k = 0; k < n; k++) {
        let y = p[layout.c + k];
        for (let j = 0; j < d; j++) y += p[layout.V + k * d + j] * s[T][j];
        const e = (-2 / n) * (batch.y[(T - 1) * n + k] - y);
        for (let j = 0; j < d; j++) g0[j] += e * p[layout.V + k * d + j];
      }
      const W = p.slice(layout.W, layout.W + d * d);
      const got = gradientFlow(layout, act, p, batch, lossSpec({ kind: 'mse', scale: null }, n));
      expect(got.jacobian).toHaveLength(T - 1);
      expect(got.flow).toHaveLength(T);
      expect(got.flow[0]).toBeCloseTo(Math.hypot(...g0), 13);
      let P: Float64Array = new Float64Array(d * d);
      for (let i = 0; i < d; i++) P[i * d + i] = 1;
      for (let k = 1; k <= T - 1; k++) {
        const DW = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) DW[i * d + j] = D[T - k][i] * W[i * d + j];
        P = multiply(P, DW, d);
        expect(Math.abs(got.jacobian[k - 1] / normByQr(P, d) - 1), `k = ${k}`).toBeLessThan(1e-10);
        const gk = new Float64Array(d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) gk[j] += P[i * d + j] * g0[i];
        expect(Math.abs(got.flow[k] / Math.hypot(...gk) - 1), `flow k = ${k}`).toBeLessThan(1e-10);
      }
    });
  }

  it('follows a^k past float64 range for W = a·Q (identity f): exact while representable, then 0 or Infinity, never NaN', () => {
    const d = 3,
      T = 1100;
    const layout = layoutOf(shape(1, d, 1));
    const Q = orthogonal(d, new Rng(3));
    for (const a of [0.5, 2]) {
      const p = new Float64Array(layout.size);
      for (let i = 0; i < d * d; i++) p[layout.W + i] = a * Q[i];
      for (let i = 0; i < d; i++) p[layout.U + i] = 1;
      p[layout.V] = 1;
      const batch = newBatch(T, 1, 1, 1, false);
      batch.y[T - 1] = 1; // zero inputs keep every state at 0 (no overflow there); the last target makes e^T = −2
      const norms = jacobianNorms(layout, p, new Float64Array(T * d).fill(1), T);
      const flow = gradientFlow(layout, 'identity', p, batch, lossSpec({ kind: 'mse', scale: null }, 1)).flow;
      for (let k = 1; k <= T - 1; k++) {
        const want = a ** k;
        expect(Number.isNaN(norms[k - 1]) || Number.isNaN(flow[k])).toBe(false);
        if (want > 1e-300 && want < 1e300) {
          expect(Math.abs(norms[k - 1] / want - 1), `a = ${a}, k = ${k}`).toBeLessThan(1e-9);
          expect(Math.abs(flow[k] / (want * flow[0]) - 1), `flow a = ${a}, k = ${k}`).toBeLessThan(1e-9);
        }
      }
      expect(norms[T - 2]).toBe(a < 1 ? 0 : Infinity);
    }
  });
});
