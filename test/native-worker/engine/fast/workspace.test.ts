import { describe, expect, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN } from '../../../../native-worker/engine/gemm';
import { tanhInPlace } from '../../../../native-worker/engine/fast/tanh';
import { kernelKind, Workspace, type KernelKind } from '../../../../native-worker/engine/fast/workspace';
import { relativeError } from '../../../../native-worker/engine/gradcheck';
import { Rng } from '../../../../native-worker/engine/prng';

const kinds: KernelKind[] = ['wasm', 'ts'];

/** Shapes that fit the 4×4 and 1×16 tiles, shapes that leave every kind of edge, K past one 256-long chunk, M past one 64-row chunk. */
const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 16, 16],
  [4, 4, 4],
  [8, 32, 32],
  [3, 5, 7],
  [5, 3, 2],
  [7, 19, 13],
  [1, 37, 29],
  [13, 1, 9],
  [6, 33, 300],
  [17, 18, 513],
  [2, 2, 0],
  [70, 20, 9],
  [130, 17, 3],
  [66, 64, 260],
];

function random(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

/** Copy a row-major rows × cols block into a strided one at off (row stride ld), the rest filled with noise. */
function strided(src: Float64Array, rows: number, cols: number, ld: number, off: number, into: Float64Array): void {
  for (let i = 0; i < rows; i++) into.set(src.subarray(i * cols, i * cols + cols), off + i * ld);
}

describe('Workspace products agree with the reference kernels of gemm.ts', () => {
  it('loads WebAssembly kernels (or the native ones, where built) in Node', () => {
    expect(['native', 'wasm', 'wasm-fma']).toContain(kernelKind());
  });

  for (const kind of kinds) {
    it(`${kind}: C (+)= A·B, C (+)= Aᵀ·B and A·Bᵀ (through a transpose) on odd and strided shapes`, () => {
      const rng = new Rng(11);
      for (const [M, N, K] of shapes) {
        const a = random(rng, M * K),
          at = random(rng, K * M),
          b = random(rng, K * N),
          bt = random(rng, N * K),
          c0 = random(rng, M * N);
        // reference results
        const nn = c0.slice(),
          tn = c0.slice(),
          nt = new Float64Array(M * N),
          nnFresh = new Float64Array(M * N);
        gemmNN(M, N, K, a, 0, b, 0, nn, 0, true);
        gemmNN(M, N, K, a, 0, b, 0, nnFresh, 0, false);
        gemmTN(M, N, K, at, 0, b, 0, tn, 0, true);
        gemmNT(M, N, K, a, 0, bt, 0, nt, 0, false);
        // the same products with leading dimensions wider than the matrices, at odd offsets
        const lda = K + 3,
          ldat = M + 2,
          ldb = N + 1,
          ldc = N + 5;
        const ws = new Workspace(
          {
            A: 7 + M * lda,
            AT: 5 + K * ldat,
            Bm: 3 + K * ldb,
            C1: 9 + M * ldc,
            C2: 9 + M * ldc,
            C3: 9 + M * ldc,
            BT: K * N + 1,
            BTsrc: N * K,
          },
          kind,
        );
        expect(ws.kind).toBe(kind);
        const { A, AT, Bm, C1, C2, C3, BT, BTsrc } = ws.buffers;
        for (const arr of Object.values(ws.buffers)) arr.set(random(rng, arr.length));
        strided(a, M, K, lda, 7, A);
        strided(at, K, M, ldat, 5, AT);
        strided(b, K, N, ldb, 3, Bm);
        strided(c0, M, N, ldc, 9, C1);
        strided(c0, M, N, ldc, 9, C2);
        ws.nn({ M, N, K, A, aOff: 7, lda, B: Bm, bOff: 3, ldb, C: C1, cOff: 9, ldc, accumulate: true });
        ws.tn({ M, N, K, A: AT, aOff: 5, lda: ldat, B: Bm, bOff: 3, ldb, C: C2, cOff: 9, ldc, accumulate: true });
        BTsrc.set(bt);
        ws.transpose(N, K, BTsrc, 0, K, BT, 1);
        const C4 = C3;
        ws.nn({ M, N, K, A, aOff: 7, lda, B: BT, bOff: 1, ldb: N, C: C4, cOff: 9, ldc });
        const read = (C: Float64Array): Float64Array => {
          const out = new Float64Array(M * N);
          for (let i = 0; i < M; i++) out.set(C.subarray(9 + i * ldc, 9 + i * ldc + N), i * N);
          return out;
        };
        const where = `${kind} ${M}×${N}×${K}`;
        // same summation order as the reference: equal to the last bit
        expect(read(C1), `nn ${where}`).toEqual(nn);
        expect(read(C2), `tn ${where}`).toEqual(tn);
        expect(relativeError(read(C4), nt), `nt ${where}`).toBeLessThanOrEqual(1e-12);
        ws.nn({ M, N, K, A, aOff: 7, lda, B: Bm, bOff: 3, ldb, C: C3, cOff: 9, ldc });
        expect(read(C3), `nn (overwrite) ${where}`).toEqual(nnFresh);
      }
    });
  }

  it('leaves the padding between strided rows of C untouched', () => {
    for (const kind of kinds) {
      const ws = new Workspace({ A: 6 * 6, B: 6 * 6, C: 5 * 9 }, kind);
      const { A, B, C } = ws.buffers;
      A.fill(1);
      B.fill(2);
      C.fill(-7);
      ws.nn({ M: 5, N: 5, K: 6, A, lda: 6, B, ldb: 6, C, ldc: 9 });
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 9; j++) expect(C[i * 9 + j], `${kind} (${i}, ${j})`).toBe(j < 5 ? 12 : -7);
      }
    }
  });

  it('gives the WebAssembly and the portable kernels the same bits on random products', () => {
    const rng = new Rng(12);
    for (let trial = 0; trial < 20; trial++) {
      const M = 1 + rng.int(40),
        N = 1 + rng.int(70),
        K = 1 + rng.int(300);
      const results = kinds.map((kind) => {
        const ws = new Workspace({ A: M * K, B: K * N, C: M * N, AT: K * M }, kind);
        const { A, B, C, AT } = ws.buffers;
        const r = new Rng(100 + trial);
        for (const arr of [A, B, C, AT]) for (let i = 0; i < arr.length; i++) arr[i] = r.normal();
        ws.nn({ M, N, K, A, lda: K, B, ldb: N, C, ldc: N, accumulate: true });
        ws.tn({ M, N, K, A: AT, lda: M, B, ldb: N, C, ldc: N, accumulate: true });
        return C.slice();
      });
      expect(results[0]).toEqual(results[1]);
    }
  });

  it('falls back to the portable loops for arrays outside its memory, with the same result', () => {
    const ws = new Workspace({ A: 12, B: 12, C: 9 }, 'wasm');
    const { A, B, C } = ws.buffers;
    const rng = new Rng(13);
    A.set(random(rng, 12));
    B.set(random(rng, 12));
    const outside = new Float64Array(9);
    ws.nn({ M: 3, N: 3, K: 4, A, lda: 4, B, ldb: 3, C, ldc: 3 });
    ws.nn({ M: 3, N: 3, K: 4, A: A.slice(), lda: 4, B, ldb: 3, C: outside, ldc: 3 });
    expect(outside).toEqual(C);
  });

  it('rejects a bad buffer length', () => {
    expect(() => new Workspace({ a: 3, b: -1 })).toThrow(/whole number/);
    expect(() => new Workspace({ a: 2.5 })).toThrow(/whole number/);
  });
});

describe('tanh of the fast path', () => {
  const special = [
    0,
    -0,
    Number.NaN,
    Infinity,
    -Infinity,
    1e-300,
    -1e-20,
    5e-9,
    0.3465735902799726,
    -0.3465735902799727,
    19.1,
    21.99,
    22,
    22.000001,
    -40,
    710,
    -1e5,
  ];

  it('is within 1e-15 relative of Math.tanh and exact at the special values', () => {
    const rng = new Rng(14);
    const x = new Float64Array(50_000);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal() * (i % 3 === 0 ? 0.1 : i % 3 === 1 ? 2 : 12);
    x.set(special, 0);
    for (const kind of kinds) {
      const ws = new Workspace({ a: x.length }, kind);
      const { a } = ws.buffers;
      a.set(x);
      ws.tanh(a, 0, a.length);
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const r = Math.tanh(x[i]);
        if (Number.isNaN(r) || r === 0 || Math.abs(r) === 1) {
          expect(Object.is(a[i], r) || (Math.abs(r) === 1 && a[i] === r), `${kind}: tanh(${x[i]}) = ${a[i]}, Math.tanh gives ${r}`).toBe(
            true,
          );
        } else worst = Math.max(worst, Math.abs(a[i] - r) / Math.abs(r));
      }
      expect(worst, kind).toBeLessThanOrEqual(1e-15);
    }
  });

  it('gives the same bits in WebAssembly and in TypeScript, odd lengths and offsets included', () => {
    const rng = new Rng(15);
    for (const len of [1, 2, 3, 17, 1000]) {
      const x = Float64Array.from({ length: len + 3 }, () => rng.normal() * 5);
      const ws = new Workspace({ a: x.length }, 'wasm');
      ws.buffers.a.set(x);
      ws.tanh(ws.buffers.a, 1, len);
      const plain = x.slice();
      tanhInPlace(plain, 1, len);
      expect(ws.buffers.a).toEqual(plain);
      expect(plain[0]).toBe(x[0]);
      expect(plain[len + 1]).toBe(x[len + 1]);
    }
  });
});
