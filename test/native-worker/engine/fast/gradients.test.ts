// Every fast path against the plain reference kernels (float64): BPTT and
// naive RTRL to ≤ 1e-12 relative, the O(d³) block method against naive RTRL
// to ≤ 1e-10, on random shapes that do not fit the kernels' tiles.

import { describe, expect, it } from 'vitest';
import type { Activation } from '../../../../common/contract';
import { Bptt } from '../../../../native-worker/engine/bptt';
import { FastBptt } from '../../../../native-worker/engine/fast/bptt-fast';
import { blockRtrlBytes } from '../../../../native-worker/engine/buffers';
import { BlockRtrl } from '../../../../native-worker/engine/fast/rtrl-block';
import { FastRtrl, fastRtrlGradient } from '../../../../native-worker/engine/fast/rtrl-naive';
import type { KernelKind } from '../../../../native-worker/engine/fast/workspace';
import { ForwardPass } from '../../../../native-worker/engine/forward';
import { relativeError } from '../../../../native-worker/engine/gradcheck';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { Rtrl, rtrlGradient } from '../../../../native-worker/engine/rtrl';
import { makeCase, shape, type Case } from '../fixtures';

const kinds: KernelKind[] = ['wasm', 'ts'];
const mse = (n: number) => lossSpec({ kind: 'mse', scale: null }, n);

const cases: Case[] = [
  { name: 'm=3 d=5 n=2 T=13 B=2, biases, masked', shape: shape(3, 5, 2, true), T: 13, B: 2, act: 'tanh', masked: true },
  { name: 'm=4 d=7 n=3 T=20 B=1', shape: shape(4, 7, 3), T: 20, B: 1, act: 'tanh' },
  { name: 'm=2 d=9 n=4 T=7 B=3, biases', shape: shape(2, 9, 4, true), T: 7, B: 3, act: 'sigmoid' },
  { name: 'm=5 d=6 n=5 T=17 B=2', shape: shape(5, 6, 5), T: 17, B: 2, act: 'relu', masked: true },
  { name: 'm=1 d=11 n=1 T=9 B=1, biases', shape: shape(1, 11, 1, true), T: 9, B: 1, act: 'identity' },
  { name: 'm=3 d=18 n=5 T=6 B=5', shape: shape(3, 18, 5), T: 6, B: 5, act: 'tanh' },
];

describe('FastBptt equals the reference BPTT', () => {
  for (const kind of kinds) {
    for (const c of cases) {
      it(`${kind}: ${c.act}, ${c.name}`, () => {
        const { layout, p, batch } = makeCase(c, 21);
        const loss = mse(c.shape.n);
        for (const k of [null, 4]) {
          const ref = new Float64Array(layout.size),
            fast = new Float64Array(layout.size);
          const bptt = new Bptt(layout, c.act, 'float64', c.T, c.B, k);
          const lr = bptt.gradient(p, batch, loss, ref);
          const fb = new FastBptt(layout, c.act, c.T, c.B, k, kind);
          const lf = fb.gradient(p, batch, loss, fast);
          expect(Math.abs(lf - lr) / Math.abs(lr), `loss, k = ${k}`).toBeLessThanOrEqual(1e-12);
          expect(relativeError(fast, ref), `gradient, k = ${k}`).toBeLessThanOrEqual(1e-12);
          expect(relativeError(fb.states, bptt.states), 'states').toBeLessThanOrEqual(1e-12);
        }
      });
    }
  }

  it('handles softmax cross-entropy', () => {
    const c: Case = { name: 'xent', shape: shape(4, 6, 4, true), T: 9, B: 2, act: 'tanh', onehot: true, masked: true };
    const { layout, p, batch } = makeCase(c, 22);
    const loss = lossSpec({ kind: 'xent' }, 4);
    const ref = new Float64Array(layout.size),
      fast = new Float64Array(layout.size);
    new Bptt(layout, 'tanh', 'float64', 9, 2, null).gradient(p, batch, loss, ref);
    new FastBptt(layout, 'tanh', 9, 2, null).gradient(p, batch, loss, fast);
    expect(relativeError(fast, ref)).toBeLessThanOrEqual(1e-12);
  });

  it('rejects a batch of another shape', () => {
    const { layout, batch } = makeCase(cases[0], 1);
    expect(() =>
      new FastBptt(layout, 'tanh', 12, 2, null).gradient(new Float64Array(layout.size), batch, mse(2), new Float64Array(layout.size)),
    ).toThrow(/batch is 13×2×3; this pass was built for 12×2×3/);
  });
});

describe('FastRtrl (naive, fast kernels) equals the reference RTRL', () => {
  for (const kind of kinds) {
    for (const c of cases) {
      it(`${kind}: ${c.act}, ${c.name}`, () => {
        const { layout, p, batch } = makeCase(c, 23);
        const loss = mse(c.shape.n);
        const ref = new Float64Array(layout.size),
          fast = new Float64Array(layout.size);
        const rtrl = new Rtrl(layout, c.act, 'float64');
        const lr = rtrlGradient(rtrl, p, batch, loss, ref);
        const fr = new FastRtrl(layout, c.act, kind);
        const states = new Float64Array((c.T + 1) * c.B * c.shape.d);
        const lf = fastRtrlGradient(fr, p, batch, loss, fast, states);
        expect(Math.abs(lf - lr) / Math.abs(lr)).toBeLessThanOrEqual(1e-12);
        expect(relativeError(fast, ref)).toBeLessThanOrEqual(1e-12);
        expect(relativeError(fr.sensitivities, rtrl.sensitivities)).toBeLessThanOrEqual(1e-12);
        const fwd = new ForwardPass(layout, c.act, 'float64', c.T, c.B);
        fwd.run(p, batch);
        expect(relativeError(states, fwd.S)).toBeLessThanOrEqual(1e-12);
      });
    }
  }

  it('follows weights that change at every step, as online learning does, and round-trips its carry', () => {
    const c = cases[0];
    const { layout, p, batch } = makeCase({ ...c, B: 1 }, 24);
    const loss = mse(c.shape.n);
    const rtrl = new Rtrl(layout, c.act, 'float64');
    const fr = new FastRtrl(layout, c.act);
    rtrl.reset();
    fr.reset();
    const pr = p.slice(),
      pf = p.slice();
    const gr = new Float64Array(layout.size),
      gf = new Float64Array(layout.size);
    for (let t = 0; t < c.T; t++) {
      gr.fill(0);
      gf.fill(0);
      rtrl.step(pr, batch.x, t * 3, batch.y, t * 2, 1, loss, gr);
      fr.load(pf);
      fr.step(batch.x, t * 3, batch.y, t * 2, 1, loss, gf);
      expect(relativeError(gf, gr), `step ${t}`).toBeLessThanOrEqual(1e-12);
      for (let i = 0; i < pr.length; i++) {
        pr[i] -= 0.05 * gr[i];
        pf[i] -= 0.05 * gf[i];
      }
    }
    const other = new FastRtrl(layout, c.act);
    other.loadCarry(fr.saveCarry());
    expect(other.saveCarry()).toEqual(fr.saveCarry());
    expect(() => other.loadCarry(new Float64Array(3))).toThrow(/carry has 3 values/);
  });
});

describe('BlockRtrl (O(d³) exact RTRL) equals naive RTRL', () => {
  for (const kind of kinds) {
    for (const c of cases) {
      it(`${kind}: ${c.act}, ${c.name}, blocks of d and of shorter lengths`, () => {
        const { layout, p, batch } = makeCase(c, 25);
        const loss = mse(c.shape.n);
        const ref = new Float64Array(layout.size);
        const rtrl = new Rtrl(layout, c.act, 'float64');
        const lr = rtrlGradient(rtrl, p, batch, loss, ref);
        for (const h of [c.shape.d, 1, 3, c.T, c.T + 4]) {
          const blk = new BlockRtrl(layout, c.act, h, kind);
          const grad = new Float64Array(layout.size);
          const states = new Float64Array((c.T + 1) * c.B * c.shape.d);
          const lb = blk.gradient(p, batch, loss, grad, states, true);
          expect(Math.abs(lb - lr) / Math.abs(lr), `loss, h = ${h}`).toBeLessThanOrEqual(1e-10);
          expect(relativeError(grad, ref), `gradient, h = ${h}`).toBeLessThanOrEqual(1e-10);
          // after the batch, the sensitivities of the last sequence's last step, as naive RTRL leaves them
          expect(relativeError(blk.sensitivities, rtrl.sensitivities), `sensitivities, h = ${h}`).toBeLessThanOrEqual(1e-10);
          expect(relativeError(blk.state, rtrl.state), `state, h = ${h}`).toBeLessThanOrEqual(1e-12);
          // without the final update (batch training discards it) the gradient is the same
          const lean = new Float64Array(layout.size);
          new BlockRtrl(layout, c.act, h, kind).gradient(p, batch, loss, lean);
          expect(relativeError(lean, ref), `gradient without the final update, h = ${h}`).toBeLessThanOrEqual(1e-10);
        }
      });
    }
  }

  it('handles softmax cross-entropy with masked steps', () => {
    const c: Case = { name: 'xent', shape: shape(4, 6, 4, true), T: 15, B: 2, act: 'tanh', onehot: true, masked: true };
    const { layout, p, batch } = makeCase(c, 26);
    const loss = lossSpec({ kind: 'xent' }, 4);
    const ref = new Float64Array(layout.size),
      grad = new Float64Array(layout.size);
    rtrlGradient(new Rtrl(layout, 'tanh', 'float64'), p, batch, loss, ref);
    new BlockRtrl(layout, 'tanh').gradient(p, batch, loss, grad);
    expect(relativeError(grad, ref)).toBeLessThanOrEqual(1e-10);
  });

  it('keeps fixed-size memory, O(d²(m + d)), whatever the sequence length', () => {
    const c: Case = { name: 'long', shape: shape(3, 8, 2), T: 200, B: 1, act: 'tanh' };
    const { layout, p, batch } = makeCase(c, 27);
    const blk = new BlockRtrl(layout, 'tanh');
    const bytes = Object.values(blk.ws.buffers).reduce((s, a) => s + a.byteLength, 0);
    const grad = new Float64Array(layout.size),
      ref = new Float64Array(layout.size);
    blk.gradient(p, batch, mse(2), grad);
    rtrlGradient(new Rtrl(layout, 'tanh', 'float64'), p, batch, mse(2), ref);
    expect(relativeError(grad, ref)).toBeLessThanOrEqual(1e-10);
    // the same buffers served a sequence of 200 steps; their size depends only on the model
    expect(Object.values(blk.ws.buffers).reduce((s, a) => s + a.byteLength, 0)).toBe(bytes);
    const { m, d, n } = c.shape;
    const cols = d * m + d * d;
    // Π twice and the d G^τ of one block (d × d each) dominate: O(d²(m + d)); the rest is O(d(m + n) + d²)
    const closedForm = 8 * (2 * d * cols + d * d * d + 2 * layout.size + 2 * m * d + 3 * d * d + 3 * d * n + (d + 1) * d + d + cols);
    expect(bytes).toBe(closedForm);
    expect(blockRtrlBytes(layout)).toBe(bytes);
  });

  it('rejects a bad block length', () => {
    const { layout } = makeCase(cases[1], 1);
    expect(() => new BlockRtrl(layout, 'tanh' as Activation, 0)).toThrow(/block length must be a whole number ≥ 1/);
  });
});
