// The native kernels' float32 twins (gemm32, tanh32, recur32, transpose32,
// sums32, sgd32: a float32 Workspace, and FastBptt in float32), built once
// per test run for each code path (native-variants.ts, native-builds.ts).
// Float32 sums in single precision, so nothing here matches float64 to the
// bit: each kernel is held to a bound in float32 ulps (docs/math.md, "Float32
// BPTT"), the gradient to FLOAT32_GRADIENT of the float64 reference on odd
// shapes; and every result repeats bit for bit.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Bptt } from '../../../../native-worker/engine/bptt';
import { FastBptt } from '../../../../native-worker/engine/fast/bptt-fast';
import { FastMatVec } from '../../../../native-worker/engine/fast/matvec';
import { loadNative } from '../../../../native-worker/engine/fast/native';
import { Workspace } from '../../../../native-worker/engine/fast/workspace';
import { gemmNN, gemmTN } from '../../../../native-worker/engine/gemm';
import { relativeError } from '../../../../native-worker/engine/gradcheck';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { Rng } from '../../../../native-worker/engine/prng';
import { makeCase, shape } from '../fixtures';
import { hasCompiler, nativeVariants } from './native-variants';
import { useVariant } from './use-variant';

/** float32 BPTT's gradient against float64's, relative (docs/math.md; the cases below reach 5e-7). */
const FLOAT32_GRADIENT = 1e-5;
/** The unit roundoff of float32. */
const EPS32 = 2 ** -24;

describe.runIf(hasCompiler).each(nativeVariants)('float32 native kernels, built $name', (variant) => {
  beforeAll(() => useVariant(variant));
  afterAll(() => void vi.unstubAllEnvs());

  it('multiply within K float32 roundings of the exact product of their float32 inputs, on odd shapes', () => {
    const rng = new Rng(51);
    // every edge of the 4 × 16 and 8 × 32 float32 tiles, K past 256, a single row, and two big enough
    // for both threads: split by rows (M ≥ 192) and by columns (few rows)
    for (const [M, N, K] of [
      [1, 129, 200],
      [3, 37, 300],
      [9, 33, 100],
      [17, 18, 513],
      [100, 7, 40],
      [33, 65, 16],
      [203, 70, 160],
      [5, 1031, 700],
    ]) {
      const lda = K + 1,
        ldat = M + 3,
        ldb = N + 2,
        ldc = N + 1;
      const ws = new Workspace({ A: M * lda, AT: K * ldat, B: K * ldb, C1: M * ldc, C2: M * ldc }, 'native', 'float32');
      const { A, AT, B, C1, C2 } = ws.buffers;
      expect(A).toBeInstanceOf(Float32Array);
      for (const arr of Object.values(ws.buffers)) for (let i = 0; i < arr.length; i++) arr[i] = rng.normal();
      const dense = (X: Float32Array | Float64Array, rows: number, cols: number, ld: number) => {
        const out = new Float64Array(rows * cols);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = X[i * ld + j];
        return out;
      };
      // exact to float64 rounding, from the very same float32 inputs; |A|·|B| bounds each element's error
      const refNN = dense(C1, M, N, ldc),
        refTN = new Float64Array(M * N),
        absNN = dense(C1, M, N, ldc).map(Math.abs),
        absTN = new Float64Array(M * N);
      const [a, at, b] = [dense(A, M, K, lda), dense(AT, K, M, ldat), dense(B, K, N, ldb)];
      gemmNN(M, N, K, a, 0, b, 0, refNN, 0, true);
      gemmTN(M, N, K, at, 0, b, 0, refTN, 0, false);
      gemmNN(M, N, K, a.map(Math.abs), 0, b.map(Math.abs), 0, absNN, 0, true);
      gemmTN(M, N, K, at.map(Math.abs), 0, b.map(Math.abs), 0, absTN, 0, false);
      const pad = C2[N];
      ws.nn({ M, N, K, A, lda, B, ldb, C: C1, ldc, accumulate: true });
      ws.tn({ M, N, K, A: AT, lda: ldat, B, ldb, C: C2, ldc });
      const [nn, tn] = [dense(C1, M, N, ldc), dense(C2, M, N, ldc)];
      for (let i = 0; i < M * N; i++) {
        // K + 1 roundings of a sum whose terms are bounded by |A|·|B| (a textbook bound, Higham §3.1)
        if (Math.abs(nn[i] - refNN[i]) > (K + 2) * EPS32 * absNN[i]) throw new Error(`nn ${M}×${N}×${K} at ${i}`);
        if (Math.abs(tn[i] - refTN[i]) > (K + 1) * EPS32 * absTN[i]) throw new Error(`tn ${M}×${N}×${K} at ${i}`);
      }
      expect(C2[N], 'the padding after a row of C').toBe(pad);
    }
  });

  it('compute tanh within 4 float32 ulps, exactly at the edges, and transpose exactly', () => {
    const rng = new Rng(52);
    const n = 5003;
    const x = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 12 : i % 5 === 0 ? 1e-3 : 3) * rng.normal());
    x.set([0, -0, Number.NaN, Infinity, -Infinity, 9, -9.5, 1e-30, -1e-7, 0.5493], 0);
    const ws = new Workspace({ a: n + 1, B: 37 * 131, out: 129 * 37 + 1 }, 'native', 'float32');
    const { a, B, out } = ws.buffers;
    a.set(x, 1);
    ws.tanh(a, 1, n);
    for (let i = 0; i < n; i++) {
      const want = Math.tanh(x[i]);
      const got = a[i + 1];
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else if (Math.abs(got - want) > 4 * EPS32 * Math.abs(want)) throw new Error(`tanh(${x[i]}) = ${got}, not ${want}`);
    }
    expect(Object.is(a[2], -0)).toBe(true);
    expect([a[4], a[5]]).toEqual([1, -1]);

    for (let i = 0; i < B.length; i++) B[i] = rng.normal();
    out[129 * 37] = 7;
    ws.transpose(37, 129, B, 0, 131, out, 0);
    for (let i = 0; i < 37; i++) for (let j = 0; j < 129; j++) if (out[j * 37 + i] !== B[i * 131 + j]) throw new Error(`(${i}, ${j})`);
    expect(out[129 * 37], 'the value after out').toBe(7);
  });

  // every size natively, one thread and two (the test builds split a step from 2¹¹ multiply-adds), d odd
  // or off the 32-column chunks, batches below and above the tiles' rows, truncation, every activation
  const cases = [
    { m: 1, d: 1, n: 1, T: 1, B: 1, truncation: null, act: 'tanh' },
    { m: 2, d: 3, n: 2, T: 40, B: 2, truncation: 7, act: 'tanh' },
    { m: 3, d: 37, n: 2, T: 23, B: 1, truncation: null, act: 'tanh' },
    { m: 4, d: 129, n: 3, T: 17, B: 9, truncation: 5, act: 'tanh' },
    { m: 2, d: 83, n: 3, T: 9, B: 21, truncation: 4, act: 'sigmoid' },
    { m: 2, d: 45, n: 2, T: 15, B: 2, truncation: 4, act: 'relu' },
    { m: 2, d: 63, n: 2, T: 5, B: 1, truncation: null, act: 'identity' },
  ] as const;
  for (const k of cases) {
    it(`give BPTT's gradient within ${FLOAT32_GRADIENT} of float64, bit for bit each run: ${k.act}, d ${k.d}, B ${k.B}, T ${k.T}, truncation ${k.truncation}`, () => {
      const c = { name: 'f32', shape: shape(k.m, k.d, k.n, true), T: k.T, B: k.B, act: k.act, masked: true };
      const { layout, p, batch } = makeCase(c, 53);
      const loss = lossSpec({ kind: 'mse', scale: null }, k.n);
      const ref = new Float64Array(layout.size);
      const refLoss = new Bptt(layout, k.act, 'float64', k.T, k.B, k.truncation).gradient(p, batch, loss, ref);
      const fast = new FastBptt(layout, k.act, k.T, k.B, k.truncation, 'native', 'float32');
      expect(fast.states).toBeInstanceOf(Float32Array);
      const first = new Float64Array(layout.size);
      const value = fast.gradient(Float32Array.from(p), batch, loss, first);
      expect(relativeError(first, ref)).toBeLessThanOrEqual(FLOAT32_GRADIENT);
      expect(Math.abs(value - refLoss)).toBeLessThanOrEqual(FLOAT32_GRADIENT * Math.abs(refLoss));
      for (let run = 0; run < 3; run++) {
        const again = new Float64Array(layout.size);
        expect(fast.gradient(Float32Array.from(p), batch, loss, again)).toBe(value);
        expect(again).toEqual(first);
      }
    });
  }

  it("multiply W v for a float32 run's spectral estimate in float32, within K roundings", () => {
    const rng = new Rng(55);
    const n = 101;
    const W = Float32Array.from({ length: n * n + 3 }, () => rng.normal());
    const v = Float64Array.from({ length: n + 2 }, () => rng.normal());
    const product = new FastMatVec(n, 'native', 'float32');
    product.prepare(W, 3);
    const y = new Float64Array(n);
    product.apply(v, 2, y);
    for (let i = 0; i < n; i++) {
      let want = 0,
        bound = 0;
      for (let k = 0; k < n; k++) {
        const term = W[3 + i * n + k] * Math.fround(v[2 + k]);
        want += term;
        bound += Math.abs(term);
      }
      if (Math.abs(y[i] - want) > (n + 1) * EPS32 * bound) throw new Error(`row ${i}: ${y[i]}, not ${want}`);
    }
    // summed in float32: not the float64 product's bits
    const wide = new FastMatVec(n, 'native');
    wide.prepare(W, 3);
    const y64 = new Float64Array(n);
    wide.apply(v, 2, y64);
    expect(y).not.toEqual(y64);
  });

  it('count saturated states natively in either dtype, NaN included', () => {
    const kernels = loadNative()!;
    const values = [0.5, -0.995, 0.99, 1, -1, 0.991, Math.fround(0.99), 0.2, -0.3];
    for (const a of [Float64Array.from(values), Float32Array.from(values)]) {
      // |v| > 0.99 in float64: float32's 0.99 rounds up to 0.99000001, so it counts there
      expect(kernels.saturated(a, 1, 7, 0.99)).toBe(a instanceof Float32Array ? 6 : 5);
      expect(kernels.saturated(a, 0, 0, 0.99)).toBe(0);
      a[8] = Number.NaN;
      expect(kernels.saturated(a, 0, 9, 0.99)).toBe(-1);
      expect(() => kernels.saturated(a, 5, 5, 0.99)).toThrow(/range outside the array/);
    }
    expect(() => kernels.saturated(new Int32Array(3) as unknown as Float32Array, 0, 1, 0.99)).toThrow(
      /expected a Float64Array or Float32Array/,
    );
  });

  it('take the trainer sums and SGD update on float32 weights', () => {
    const kernels = loadNative()!;
    const rng = new Rng(54);
    for (const [from, to] of [
      [0, 0],
      [3, 6],
      [1, 4099],
    ]) {
      const g = Float64Array.from({ length: to + 3 }, () => rng.normal());
      const [p, q] = [0, 1].map(() => Float32Array.from({ length: to + 3 }, () => rng.normal()));
      const out = new Float64Array(6).fill(7);
      kernels.sums32(g, p, q, from, to, out, 1);
      const want = [0, 0, 0, 0];
      for (let i = from; i < to; i++) {
        want[0] += g[i] ** 2;
        want[1] += p[i] ** 2;
        want[2] += (p[i] - q[i]) ** 2;
        want[3] += q[i] ** 2;
      }
      expect([out[0], out[5]]).toEqual([7, 7]);
      for (let j = 0; j < 4; j++) expect(Math.abs(out[1 + j] - want[j])).toBeLessThanOrEqual(1e-12 * Math.max(1, want[j]));
    }
    // the same bits as `p[i] -= lr * g[i]` on a Float32Array (the difference in float64, rounded once)
    for (const n of [1, 3, 4, 7, 1029]) {
      const p0 = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1e-40 : rng.normal()));
      const g = Float64Array.from({ length: n }, (_, i) => (i % 7 === 1 ? -0 : rng.normal() * 1e3));
      const want = Float32Array.from(p0);
      for (let i = 0; i < n; i++) want[i] -= 0.037 * g[i];
      const got = Float32Array.from(p0);
      kernels.sgd32(got, g, 0.037);
      expect(got).toEqual(want);
    }
    expect(() => kernels.sgd32(new Float64Array(3) as unknown as Float32Array, new Float64Array(3), 0.1)).toThrow(
      /expected Float32Array weights/,
    );
  });

  it('refuse float32 workspaces without the native kernels', () => {
    expect(() => new Workspace({ a: 4 }, 'wasm', 'float32')).toThrow(/float32 workspaces compute with the native kernels, not wasm/);
  });
});
