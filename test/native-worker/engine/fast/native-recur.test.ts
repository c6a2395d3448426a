// The native kernels' whole-sequence BPTT recurrences (Workspace.forwardRecurrence,
// backwardRecurrence: the addon's recur (native/recur.c), which splits every step between two
// threads from 2¹⁷ multiply-adds a step, 2¹¹ in these builds) and their
// blocked transpose, built once per test run for each code path
// (native-variants.ts, native-builds.ts), against the reference kernels: odd d, a
// batch below and above the register tile's rows, truncation, and the same
// bits from run to run.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Bptt } from '../../../../native-worker/engine/bptt';
import { FastBptt } from '../../../../native-worker/engine/fast/bptt-fast';
import { Workspace } from '../../../../native-worker/engine/fast/workspace';
import { relativeError } from '../../../../native-worker/engine/gradcheck';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { Rng } from '../../../../native-worker/engine/prng';
import { makeCase, shape } from '../fixtures';
import { hasCompiler, nativeVariants } from './native-variants';
import { useVariant } from './use-variant';

describe.runIf(hasCompiler).each(nativeVariants)('native recurrences, built $name', (variant) => {
  beforeAll(() => useVariant(variant)); // for the workspaces of the tests below
  afterAll(() => void vi.unstubAllEnvs());

  // every size runs natively, from one unit and one step up; below the two-thread threshold (the test
  // builds' 2¹¹ multiply-adds a step: B·d² < 2048 for d ≤ 37 at B = 1) and above it; d odd or off the 32-column chunks
  const cases = [
    { m: 1, d: 1, n: 1, T: 1, B: 1, truncation: null },
    { m: 2, d: 3, n: 2, T: 40, B: 2, truncation: 7 },
    { m: 3, d: 37, n: 2, T: 23, B: 1, truncation: null },
    { m: 2, d: 97, n: 3, T: 31, B: 3, truncation: null },
    { m: 4, d: 129, n: 3, T: 17, B: 9, truncation: 5 },
    { m: 5, d: 71, n: 4, T: 12, B: 1, truncation: null },
    { m: 2, d: 83, n: 3, T: 9, B: 21, truncation: 4 },
    { m: 3, d: 61, n: 2, T: 6, B: 3, truncation: 2 },
  ];
  // the other activations, on one thread and on two
  const activations = (['relu', 'sigmoid', 'identity'] as const).flatMap((act) => [
    { m: 2, d: 45, n: 2, T: 15, B: 2, truncation: 4, act },
    { m: 2, d: 63, n: 2, T: 5, B: 1, truncation: null, act },
  ]);
  for (const k of [...cases.map((c) => ({ ...c, act: 'tanh' as const })), ...activations]) {
    it(`agree with the reference BPTT and repeat bit for bit: ${k.act}, d ${k.d}, B ${k.B}, T ${k.T}, truncation ${k.truncation}`, () => {
      const c = { name: 'recur', shape: shape(k.m, k.d, k.n, true), T: k.T, B: k.B, act: k.act, masked: true };
      const { layout, p, batch } = makeCase(c, 43);
      const loss = lossSpec({ kind: 'mse', scale: null }, k.n);
      const ref = new Float64Array(layout.size);
      const refLoss = new Bptt(layout, k.act, 'float64', k.T, k.B, k.truncation).gradient(p, batch, loss, ref);
      const fast = new FastBptt(layout, k.act, k.T, k.B, k.truncation, 'native');
      const first = new Float64Array(layout.size);
      const value = fast.gradient(p, batch, loss, first);
      expect(relativeError(first, ref)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(value - refLoss)).toBeLessThanOrEqual(1e-12 * Math.abs(refLoss));
      const states = Float64Array.from(fast.states);
      for (let run = 0; run < 4; run++) {
        const again = new Float64Array(layout.size);
        expect(fast.gradient(p, batch, loss, again)).toBe(value);
        expect(again).toEqual(first);
        expect(fast.states).toEqual(states);
      }
      // a second pass of its own (its own workspace) gives the same bits too
      const other = new Float64Array(layout.size);
      new FastBptt(layout, k.act, k.T, k.B, k.truncation, 'native').gradient(p, batch, loss, other);
      expect(other).toEqual(first);
    });
  }

  it('match the step-by-step products and tanh on one workspace, and leave other kinds to the caller', () => {
    const d = 101,
      B = 2,
      T = 7;
    const rng = new Rng(44);
    const ws = new Workspace({ S: (T + 1) * B * d, DZ: (T + 1) * B * d, M: d * d, R: (T + 1) * B * d }, 'native');
    const { S, DZ, M, R } = ws.buffers;
    for (const a of [S, DZ, M]) for (let i = 0; i < a.length; i++) a[i] = 0.3 * rng.normal();
    // step by step in the portable kernels: forward with Mᵀ, backward with M
    const stepS = new Workspace({ S2: (T + 1) * B * d, M2: d * d, M2t: d * d }, 'ts');
    const { S2, M2, M2t } = stepS.buffers;
    S2.set(S);
    M2.set(M);
    stepS.transpose(d, d, M2, 0, d, M2t, 0);
    for (let t = 0; t < T; t++) {
      stepS.nn({
        M: B,
        N: d,
        K: d,
        A: S2,
        aOff: t * B * d,
        lda: d,
        B: M2t,
        ldb: d,
        C: S2,
        cOff: (t + 1) * B * d,
        ldc: d,
        accumulate: true,
      });
      stepS.tanh(S2, (t + 1) * B * d, B * d);
    }
    expect(ws.forwardRecurrence('tanh', T, B, d, S, 0, M, 0)).toBe(true);
    expect(relativeError(S, S2)).toBeLessThanOrEqual(1e-12);

    R.set(DZ);
    const G = Float64Array.from(DZ);
    for (let t = T - 1; t >= 0; t--) {
      if (t < T - 1 && (t + 1) % 3 !== 0)
        stepS.nn({ M: B, N: d, K: d, A: G, aOff: (t + 1) * B * d, lda: d, B: M2, ldb: d, C: G, cOff: t * B * d, ldc: d, accumulate: true });
      for (let i = 0; i < B * d; i++) G[t * B * d + i] *= 1 - S[(t + 1) * B * d + i] ** 2;
    }
    expect(ws.backwardRecurrence('tanh', T, B, d, S, 0, R, 0, M, 0, 3)).toBe(true);
    expect(relativeError(R, G)).toBeLessThanOrEqual(1e-12);

    const wasm = new Workspace({ S: (T + 1) * B * d, W: d * d }, 'wasm');
    expect(wasm.forwardRecurrence('tanh', T, B, d, wasm.buffers.S, 0, wasm.buffers.W, 0)).toBe(false);
    expect(wasm.buffers.S.every((v) => v === 0)).toBe(true);
  });

  it('transpose exactly, odd shapes and row strides included', () => {
    const rng = new Rng(45);
    for (const [rows, cols, ldb] of [
      [64, 64, 64],
      [37, 129, 131],
      [300, 17, 20],
      [512, 512, 512],
    ]) {
      const ws = new Workspace({ Bm: rows * ldb, out: rows * cols + 1 }, 'native');
      const { Bm, out } = ws.buffers;
      for (let i = 0; i < Bm.length; i++) Bm[i] = rng.normal();
      out[rows * cols] = 7;
      ws.transpose(rows, cols, Bm, 0, ldb, out, 0);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) if (out[j * rows + i] !== Bm[i * ldb + j]) throw new Error(`${rows}×${cols}: (${i}, ${j})`);
      expect(out[rows * cols], 'the value after out').toBe(7);
    }
  });
});
