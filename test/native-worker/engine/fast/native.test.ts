// The optional native kernels (native-worker/engine/native/*.c), built
// once per test run with the system's C compiler for each code path
// (native-variants.ts, native-builds.ts), against the reference kernels: products on odd
// shapes to ≤ 1e-12, the column split's bits, the trainer's sums and SGD
// update, and every gradient method running on them. Where no C compiler
// exists the build must say so.

import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bptt } from '../../../../native-worker/engine/bptt';
import { FastBptt } from '../../../../native-worker/engine/fast/bptt-fast';
import { defaultNativePath, loadNative, nativeProblem, portableNames } from '../../../../native-worker/engine/fast/native';
import { BlockRtrl } from '../../../../native-worker/engine/fast/rtrl-block';
import { FastRtrl, fastRtrlGradient } from '../../../../native-worker/engine/fast/rtrl-naive';
import { NATIVE_MIN, Workspace } from '../../../../native-worker/engine/fast/workspace';
import { gemmNN, gemmTN } from '../../../../native-worker/engine/gemm';
import { relativeError } from '../../../../native-worker/engine/gradcheck';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { Rng } from '../../../../native-worker/engine/prng';
import { Rtrl, rtrlGradient } from '../../../../native-worker/engine/rtrl';
import { buildNative, buildPortable } from '../../../../native-worker/engine/native/build';
import { makeCase, shape } from '../fixtures';
import { hasCompiler, nativeVariants } from './native-variants';
import { useVariant } from './use-variant';

describe('where the engine looks for the native kernels', () => {
  it('is the cache of the package the module belongs to, from the sources and from the built bundles alike', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
    const expected = join(root, 'node_modules', '.cache', 'rnn-workbench', `kernels-${process.platform}-${process.arch}.node`);
    expect(defaultNativePath()).toBe(expected);
    expect(defaultNativePath(join(root, 'native-worker', 'engine', 'fast'))).toBe(expected);
    expect(defaultNativePath(join(root, 'out', 'main'))).toBe(expected);
    // another package (an app's archive) has its own, or none
    const app = mkdtempSync(join(tmpdir(), 'rnn-app-'));
    writeFileSync(join(app, 'package.json'), '{}');
    expect(defaultNativePath(join(app, 'out', 'main')).startsWith(join(app, 'node_modules', '.cache'))).toBe(true);
  });
});

describe('the portable builds a packaged app ships', () => {
  it.runIf(hasCompiler)('are chosen by what this CPU can run, and fall back to the build for any CPU', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-portable-'));
    const results = buildPortable(dir);
    for (const r of results) expect(r, r.ok ? '' : r.reason).toMatchObject({ ok: true });
    const names = portableNames();
    const chosen = loadNative(dir)!;
    expect(chosen).not.toBeNull();
    const base = loadNative(join(dir, names.base))!;
    if (names.avx2 === null) {
      expect(chosen).toBe(base);
      return;
    }
    expect(base.vector()).toBe(false); // built for any x86-64
    const canAvx2 = base.avx2();
    expect(chosen.vector()).toBe(canAvx2);
    // without the AVX2 build in the folder, the one for any CPU
    const only = mkdtempSync(join(tmpdir(), 'rnn-portable-'));
    copyFileSync(join(dir, names.base), join(only, names.base));
    expect(loadNative(only)!.vector()).toBe(false);
    // an empty folder: none (the engine then uses WebAssembly)
    expect(loadNative(mkdtempSync(join(tmpdir(), 'rnn-portable-')))).toBeNull();
  });
});

describe('why the native kernels are not used', () => {
  it('is said for a missing build and for a file that does not load; a build that loads has no problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-problem-'));
    expect(nativeProblem(join(dir, 'none.node'))).toMatch(
      /there is no build at .*none\.node \(npm install makes one where a C compiler exists\)/,
    );
    writeFileSync(join(dir, 'text.node'), 'not a library');
    expect(nativeProblem(join(dir, 'text.node'))).toMatch(/text\.node does not load \(.*\): rebuild it with `npm install`/);
    expect(nativeProblem(dir)).toMatch(/there is no build at .*kernels-/); // a folder without the portable builds
    if (loadNative() !== null) expect(nativeProblem()).toBeNull();
  });
});

describe('native kernels', () => {
  afterEach(() => void vi.unstubAllEnvs());

  it.runIf(!hasCompiler)('report why they are not built where there is no C compiler', () => {
    const r = buildNative(join(mkdtempSync(join(tmpdir(), 'rnn-native-')), 'k.node'));
    expect(r.ok).toBe(false);
  });

  it.runIf(hasCompiler).each(nativeVariants)('build $name, load, and agree with the reference kernels', (variant) => {
    useVariant(variant);
    expect(loadNative(join(tmpdir(), 'no-such-addon.node'))).toBeNull();

    // products big enough to go native, with every kind of edge for its 4×8 and 8×16 tiles, K past 256,
    // and two big enough to be split between two threads (M ≥ 192, 2²¹ multiply-adds)
    const rng = new Rng(41);
    for (const [M, N, K] of [
      [1, 129, 200],
      [3, 37, 300],
      [9, 23, 100],
      [17, 18, 513],
      [100, 7, 40],
      [33, 65, 16],
      [130, 40, 9],
      [203, 70, 160],
      [250, 33, 300],
    ]) {
      expect(M * N * K).toBeGreaterThanOrEqual(NATIVE_MIN);
      const lda = K + 1,
        ldat = M + 3,
        ldb = N + 2,
        ldc = N + 1;
      const ws = new Workspace({ A: M * lda, AT: K * ldat, B: K * ldb, C1: M * ldc, C2: M * ldc }, 'native');
      const { A, AT, B, C1, C2 } = ws.buffers;
      for (const arr of Object.values(ws.buffers)) for (let i = 0; i < arr.length; i++) arr[i] = rng.normal();
      const dense = (X: Float64Array, rows: number, cols: number, ld: number) => {
        const out = new Float64Array(rows * cols);
        for (let i = 0; i < rows; i++) out.set(X.subarray(i * ld, i * ld + cols), i * cols);
        return out;
      };
      const refNN = dense(C1, M, N, ldc),
        refTN = dense(C2, M, N, ldc);
      gemmNN(M, N, K, dense(A, M, K, lda), 0, dense(B, K, N, ldb), 0, refNN, 0, true);
      gemmTN(M, N, K, dense(AT, K, M, ldat), 0, dense(B, K, N, ldb), 0, refTN, 0, false);
      const pad = C2[N];
      ws.nn({ M, N, K, A, lda, B, ldb, C: C1, ldc, accumulate: true });
      ws.tn({ M, N, K, A: AT, lda: ldat, B, ldb, C: C2, ldc });
      expect(relativeError(dense(C1, M, N, ldc), refNN), `nn ${M}×${N}×${K}`).toBeLessThanOrEqual(1e-12);
      expect(relativeError(dense(C2, M, N, ldc), refTN), `tn ${M}×${N}×${K}`).toBeLessThanOrEqual(1e-12);
      expect(C2[N], 'the padding after a row of C').toBe(pad);
    }

    // products with few rows split C's columns between the threads: the same bits as computed 16 columns
    // at a time on one thread (each piece small enough to stay on one, big enough to stay native)
    for (const [M, N, K] of [
      [100, 517, 45],
      [3, 1035, 700],
    ]) {
      expect(M * N * K).toBeGreaterThanOrEqual(2 ** 21);
      const ws = new Workspace({ A: M * K, B: K * N, whole: M * N, pieces: M * N }, 'native');
      const { A, B, whole, pieces } = ws.buffers;
      for (const arr of [A, B]) for (let i = 0; i < arr.length; i++) arr[i] = rng.normal();
      ws.nn({ M, N, K, A, lda: K, B, ldb: N, C: whole, ldc: N });
      for (let j0 = 0; j0 < N; j0 += 16) {
        const w = Math.min(16, N - j0);
        expect(M * w * K).toBeGreaterThanOrEqual(NATIVE_MIN);
        ws.nn({ M, N: w, K, A, lda: K, B, bOff: j0, ldb: N, C: pieces, cOff: j0, ldc: N });
      }
      expect(whole, `nn ${M}×${N}×${K}`).toEqual(pieces);
    }

    // tanh: the same bits as the WebAssembly and TypeScript versions
    const n = 5003;
    const x = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 30 : 3) * rng.normal());
    x.set([0, -0, Number.NaN, Infinity, -Infinity, 22, -22.5, 1e-300], 0);
    const [nat, wasm, ts] = (['native', 'wasm', 'ts'] as const).map((kind) => {
      const w = new Workspace({ a: n + 1 }, kind);
      w.buffers.a.set(x, 1);
      w.tanh(w.buffers.a, 1, n);
      return w.buffers.a;
    });
    expect(nat).toEqual(wasm);
    expect(nat).toEqual(ts);

    const c = { name: 'native', shape: shape(5, 40, 3, true), T: 30, B: 3, act: 'tanh' as const, masked: true };
    const { layout, p, batch } = makeCase(c, 42);
    const loss = lossSpec({ kind: 'mse', scale: null }, 3);
    const g = () => new Float64Array(layout.size);
    const bRef = g(),
      bFast = g(),
      rRef = g(),
      rFast = g(),
      rBlock = g();
    new Bptt(layout, 'tanh', 'float64', c.T, c.B, null).gradient(p, batch, loss, bRef);
    new FastBptt(layout, 'tanh', c.T, c.B, null, 'native').gradient(p, batch, loss, bFast);
    rtrlGradient(new Rtrl(layout, 'tanh', 'float64'), p, batch, loss, rRef);
    fastRtrlGradient(new FastRtrl(layout, 'tanh', 'native'), p, batch, loss, rFast, null);
    new BlockRtrl(layout, 'tanh', 40, 'native').gradient(p, batch, loss, rBlock);
    expect(relativeError(bFast, bRef)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(rFast, rRef)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(rBlock, rRef)).toBeLessThanOrEqual(1e-10);

    // the trainer's per-step sums, on plain arrays (not a workspace's memory), odd ranges and vector tails
    const kernels = loadNative()!;
    for (const [from, to] of [
      [0, 0],
      [0, 1],
      [3, 6],
      [5, 1030],
      [1, 4099],
    ]) {
      const [gs, ps, qs] = [0, 1, 2].map(() => Float64Array.from({ length: to + 3 }, () => rng.normal()));
      const out = new Float64Array(6).fill(7);
      kernels.sums(gs, ps, qs, from, to, out, 1);
      const want = [0, 0, 0, 0];
      for (let i = from; i < to; i++) {
        want[0] += gs[i] ** 2;
        want[1] += ps[i] ** 2;
        want[2] += (ps[i] - qs[i]) ** 2;
        want[3] += qs[i] ** 2;
      }
      expect(out[0]).toBe(7);
      expect(out[5]).toBe(7);
      for (let j = 0; j < 4; j++) expect(Math.abs(out[1 + j] - want[j])).toBeLessThanOrEqual(1e-12 * Math.max(1, want[j]));
    }
    // plain SGD's update: the same bits as the loop in sgd.ts, tails and odd values included
    for (const n of [1, 3, 4, 7, 1029]) {
      const p0 = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1e-310 : rng.normal()));
      const gs = Float64Array.from({ length: n }, (_, i) => (i % 7 === 1 ? -0 : rng.normal() * 1e3));
      const want = Float64Array.from(p0);
      for (let i = 0; i < n; i++) want[i] -= 0.037 * gs[i];
      const got = Float64Array.from(p0);
      kernels.sgd(got, gs, 0.037);
      expect(got).toEqual(want);
    }
    expect(() => kernels.sgd(new Float64Array(3), new Float64Array(4), 0.1)).toThrow(/two arrays of one length/);
    const f = new Float64Array(8);
    expect(() => kernels.sums(f, f, f, 2, 9, f, 0)).toThrow(/range outside the arrays/);
    expect(() => kernels.sums(f, f, f, 0, 8, f, 5)).toThrow(/range outside the arrays/);
    expect(() => kernels.sums(f, new Float32Array(8) as unknown as Float64Array, f, 0, 8, f, 0)).toThrow(/expected Float64Arrays/);
  });
});
