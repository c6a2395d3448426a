// MATH.md names two mistakes in the derivation this project started from.
// This file pins both: a plain transcription of the RTRL equations, with a
// switch for each mistake, shows that the checks below reject either
// mistake, and the engine passes the same checks.
//
//   1. The recurrence must read P^{t−1}; updating P in place (so rows already
//      updated feed the rest: "P^t on both sides") is not the recurrence.
//   2. W's immediate term is s_j^{t−1} δ_li, not U's x_j^t δ_li.

import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../../native-worker/engine/evaluate';
import { finiteDifferences, relativeError } from '../../../native-worker/engine/gradcheck';
import { lossSpec } from '../../../native-worker/engine/loss';
import type { Layout } from '../../../native-worker/engine/params';
import { Rtrl, rtrlGradient } from '../../../native-worker/engine/rtrl';
import { makeCase, shape } from './fixtures';

interface Mistakes {
  inPlace: boolean;
  wImmediateIsX: boolean;
}

/** RTRL transcribed from MATH.md with nested loops (tanh, no biases, B = 1, g = 1/n). */
function referenceRtrl(layout: Layout, p: Float64Array, x: Float64Array, y: Float64Array, T: number, mk: Mistakes) {
  const { m, d, n } = layout.shape;
  const u = (i: number, j: number) => p[layout.U + i * m + j];
  const w = (i: number, j: number) => p[layout.W + i * d + j];
  const v = (i: number, j: number) => p[layout.V + i * d + j];
  let P = new Float64Array(d * d * m); // P[l,(i,j)] at l*d*m + i*m + j
  let Q = new Float64Array(d * d * d);
  let s = new Float64Array(d);
  const dU = new Float64Array(d * m),
    dW = new Float64Array(d * d);
  const Qs: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const sPrev = s;
    s = new Float64Array(d);
    for (let l = 0; l < d; l++) {
      let z = 0;
      for (let j = 0; j < m; j++) z += u(l, j) * x[t * m + j];
      for (let j = 0; j < d; j++) z += w(l, j) * sPrev[j];
      s[l] = Math.tanh(z);
    }
    const Pn = mk.inPlace ? P : new Float64Array(P.length);
    const Qn = mk.inPlace ? Q : new Float64Array(Q.length);
    for (let l = 0; l < d; l++) {
      const fp = 1 - s[l] * s[l];
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < m; j++) {
          let acc = l === i ? x[t * m + j] : 0;
          for (let k = 0; k < d; k++) acc += w(l, k) * P[k * d * m + i * m + j];
          Pn[l * d * m + i * m + j] = fp * acc;
        }
        for (let j = 0; j < d; j++) {
          let acc = l === i ? (mk.wImmediateIsX ? x[t * m + j] : sPrev[j]) : 0;
          for (let k = 0; k < d; k++) acc += w(l, k) * Q[k * d * d + i * d + j];
          Qn[l * d * d + i * d + j] = fp * acc;
        }
      }
    }
    P = Pn;
    Q = Qn;
    Qs.push(Float64Array.from(Q));
    for (let k = 0; k < n; k++) {
      let yk = 0;
      for (let l = 0; l < d; l++) yk += v(k, l) * s[l];
      const e = (-2 / n) * (y[t * n + k] - yk);
      for (let l = 0; l < d; l++) {
        const c = e * v(k, l);
        for (let q = 0; q < d * m; q++) dU[q] += c * P[l * d * m + q];
        for (let q = 0; q < d * d; q++) dW[q] += c * Q[l * d * d + q];
      }
    }
  }
  return { dU, dW, Qs };
}

// m = d so that "U's immediate term" x_j^t has the right length for W: the mistake is expressible.
const { layout, p, batch } = makeCase({ name: 'corrections', shape: shape(4, 4, 3), T: 6, B: 1, act: 'tanh' }, 11);
const spec = lossSpec({ kind: 'mse', scale: null }, 3);
const fd = finiteDifferences(layout, 'tanh', p, batch, spec);
const fdU = fd.subarray(layout.U, layout.U + 16),
  fdW = fd.subarray(layout.W, layout.W + 16);
const correct = referenceRtrl(layout, p, batch.x, batch.y, batch.T, { inPlace: false, wImmediateIsX: false });

/** ∂s^t/∂w_ij by central differences of the forward pass, laid out like Q^t. */
function stateSensitivityFD(t: number): Float64Array {
  const d = 4,
    h = 1e-6;
  const ev = new Evaluator(layout, 'tanh', 'float64', batch.T, 1);
  const out = new Float64Array(d * d * d);
  for (let q = 0; q < d * d; q++) {
    const old = p[layout.W + q];
    p[layout.W + q] = old + h;
    ev.loss(p, batch, spec);
    const sp = ev.forward.S.slice((t + 1) * d, (t + 2) * d);
    p[layout.W + q] = old - h;
    ev.loss(p, batch, spec);
    const sm = ev.forward.S.slice((t + 1) * d, (t + 2) * d);
    p[layout.W + q] = old;
    for (let l = 0; l < d; l++) out[l * d * d + q] = (sp[l] - sm[l]) / (2 * h);
  }
  return out;
}

describe('the two corrections of MATH.md', () => {
  it('the transcription without mistakes matches finite differences, and the engine matches it', () => {
    expect(relativeError(correct.dU, fdU)).toBeLessThan(1e-6);
    expect(relativeError(correct.dW, fdW)).toBeLessThan(1e-6);
    const g = new Float64Array(layout.size);
    rtrlGradient(new Rtrl(layout, 'tanh', 'float64'), p, batch, spec, g);
    expect(relativeError(g.subarray(layout.U, layout.U + 16), correct.dU)).toBeLessThan(1e-12);
    expect(relativeError(g.subarray(layout.W, layout.W + 16), correct.dW)).toBeLessThan(1e-12);
  });

  it('1. a recurrence over P^t instead of P^{t−1} fails the gradient check', () => {
    const wrong = referenceRtrl(layout, p, batch.x, batch.y, batch.T, { inPlace: true, wImmediateIsX: false });
    expect(relativeError(wrong.dU, fdU)).toBeGreaterThan(1e-3);
    expect(relativeError(wrong.dW, fdW)).toBeGreaterThan(1e-3);
  });

  it("2. a W gradient with U's immediate term fails the gradient check (and U's stays right)", () => {
    const wrong = referenceRtrl(layout, p, batch.x, batch.y, batch.T, { inPlace: false, wImmediateIsX: true });
    expect(relativeError(wrong.dW, fdW)).toBeGreaterThan(1e-3);
    expect(relativeError(wrong.dU, fdU)).toBeLessThan(1e-6);
  });

  it("the engine's sensitivities Q^t equal ∂s^t/∂W at every step", () => {
    const rtrl = new Rtrl(layout, 'tanh', 'float64');
    rtrl.reset();
    const grad = new Float64Array(layout.size);
    const d = 4,
      dm = 16;
    for (let t = 0; t < batch.T; t++) {
      rtrl.step(p, batch.x, t * 4, batch.y, t * 3, 1, spec, grad);
      const fdQ = stateSensitivityFD(t);
      const Q = new Float64Array(d * d * d);
      for (let l = 0; l < d; l++) Q.set(rtrl.sensitivities.subarray(l * rtrl.cols + dm, l * rtrl.cols + dm + d * d), l * d * d);
      expect(relativeError(Q, fdQ), `t = ${t + 1}`).toBeLessThan(1e-7);
      expect(relativeError(Q, correct.Qs[t]), `t = ${t + 1}`).toBeLessThan(1e-12);
      // Both mistakes change Q^t from the second step on.
      if (t > 0) {
        for (const mk of [
          { inPlace: true, wImmediateIsX: false },
          { inPlace: false, wImmediateIsX: true },
        ]) {
          const wrong = referenceRtrl(layout, p, batch.x, batch.y, t + 1, mk).Qs[t];
          expect(relativeError(wrong, fdQ), JSON.stringify(mk)).toBeGreaterThan(1e-3);
        }
      }
    }
  });
});
