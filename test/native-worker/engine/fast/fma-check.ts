// Run in a child process by kernels-fma.test.ts, with relaxed SIMD switched
// on: the 'wasm-fma' kernels against the reference kernels, printed as JSON.

import { gemmNN, gemmTN } from '../../../../native-worker/engine/gemm';
import { Bptt } from '../../../../native-worker/engine/bptt';
import { FastBptt } from '../../../../native-worker/engine/fast/bptt-fast';
import { BlockRtrl } from '../../../../native-worker/engine/fast/rtrl-block';
import { FastRtrl, fastRtrlGradient } from '../../../../native-worker/engine/fast/rtrl-naive';
import { kernelAvailable, kernelKind, Workspace } from '../../../../native-worker/engine/fast/workspace';
import { relativeError } from '../../../../native-worker/engine/gradcheck';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { Rng } from '../../../../native-worker/engine/prng';
import { Rtrl, rtrlGradient } from '../../../../native-worker/engine/rtrl';
import { makeCase, shape } from '../fixtures';

const out: Record<string, number | string | boolean> = { available: kernelAvailable('wasm-fma'), chosen: kernelKind() };
if (out.available) {
  const rng = new Rng(31);
  let products = 0;
  for (const [M, N, K] of [
    [1, 1, 1],
    [3, 5, 7],
    [8, 32, 32],
    [17, 18, 513],
    [1, 37, 29],
    [6, 33, 300],
  ]) {
    const ws = new Workspace({ A: M * K, B: K * N, C: M * N, AT: K * M, C2: M * N }, 'wasm-fma');
    const { A, B, C, AT, C2 } = ws.buffers;
    for (const a of [A, B, AT]) for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    const ref = new Float64Array(M * N),
      refT = new Float64Array(M * N);
    gemmNN(M, N, K, A, 0, B, 0, ref, 0, false);
    gemmTN(M, N, K, AT, 0, B, 0, refT, 0, false);
    ws.nn({ M, N, K, A, lda: K, B, ldb: N, C, ldc: N });
    ws.tn({ M, N, K, A: AT, lda: M, B, ldb: N, C: C2, ldc: N });
    products = Math.max(products, relativeError(C, ref), relativeError(C2, refT));
  }
  out.products = products;
  const c = { name: 'fma', shape: shape(3, 9, 2, true), T: 21, B: 2, act: 'tanh' as const, masked: true };
  const { layout, p, batch } = makeCase(c, 32);
  const loss = lossSpec({ kind: 'mse', scale: null }, 2);
  const g = () => new Float64Array(layout.size);
  const bRef = g(),
    bFast = g(),
    rRef = g(),
    rFast = g(),
    rBlock = g();
  new Bptt(layout, 'tanh', 'float64', c.T, c.B, null).gradient(p, batch, loss, bRef);
  new FastBptt(layout, 'tanh', c.T, c.B, null, 'wasm-fma').gradient(p, batch, loss, bFast);
  rtrlGradient(new Rtrl(layout, 'tanh', 'float64'), p, batch, loss, rRef);
  fastRtrlGradient(new FastRtrl(layout, 'tanh', 'wasm-fma'), p, batch, loss, rFast, null);
  new BlockRtrl(layout, 'tanh', 4, 'wasm-fma').gradient(p, batch, loss, rBlock);
  out.bptt = relativeError(bFast, bRef);
  out.rtrl = relativeError(rFast, rRef);
  out.block = relativeError(rBlock, rRef);
}
console.log(JSON.stringify(out));
