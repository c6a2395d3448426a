// WebAssembly SIMD kernels (AssemblyScript source; build with
// `node --import tsx native-worker/engine/wasm/build.ts`, which writes both
// builds, base64, into kernels-wasm.ts). Float64, two lanes (f64x2). Every
// output element is summed term by term over k in the order of the plain
// reference kernels of ../gemm.ts: the plain build gives their bits exactly,
// the relaxed-SIMD build differs only by its fused multiply-adds.
//
// One product shape covers every use in the engine:
//   C[M×N] (+)= Σ_k A(i, k) · B[k, j]
// A(i, k) lives at a + i·ar + k·ak (byte strides: ar = lda·8, ak = 8 reads A
// row by row, "NN"; ar = 8, ak = lda·8 reads Aᵀ, "TN"); B and C are
// row-major with leading dimensions ldb and ldc (in elements). Pointers are
// byte offsets into this module's memory, which the host allocates.
//
// Tiles: 4 rows × 4 columns (8 accumulators of two lanes), a 1 × 16 strip for
// leftover rows, then 1 × 4 and scalar columns at the right edge. K runs in
// chunks of KC and rows of A in chunks of MC, so that the packed panels being
// reused stay in cache; C carries the partial sums between K chunks, which
// keeps the summation order per element.

const KC: i32 = 256;

// x + a·b per lane. The relaxed-SIMD build (kernels-relaxed.wasm, chosen
// where the engine validates it) fuses it into one multiply-add with a single
// rounding; the plain build rounds the product and the sum, as the reference does.
@inline function madd(a: v128, b: v128, x: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, x);
  return f64x2.add(x, f64x2.mul(a, b));
}

function kernel4x4(K: i32, a: usize, ar: usize, ak: usize, b: usize, ldb8: usize, c: usize, ldc8: usize, keep: bool): void {
  const c1 = c + ldc8, c2 = c1 + ldc8, c3 = c2 + ldc8;
  let x00 = f64x2.splat(0), x01 = f64x2.splat(0), x10 = f64x2.splat(0), x11 = f64x2.splat(0);
  let x20 = f64x2.splat(0), x21 = f64x2.splat(0), x30 = f64x2.splat(0), x31 = f64x2.splat(0);
  if (keep) {
    x00 = v128.load(c); x01 = v128.load(c, 16);
    x10 = v128.load(c1); x11 = v128.load(c1, 16);
    x20 = v128.load(c2); x21 = v128.load(c2, 16);
    x30 = v128.load(c3); x31 = v128.load(c3, 16);
  }
  const a1 = a + ar, a2 = a1 + ar, a3 = a2 + ar;
  let ko: usize = 0, bo: usize = b;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(bo), b1 = v128.load(bo, 16);
    let s = v128.load64_splat(a + ko);
    x00 = madd(s, b0, x00); x01 = madd(s, b1, x01);
    s = v128.load64_splat(a1 + ko);
    x10 = madd(s, b0, x10); x11 = madd(s, b1, x11);
    s = v128.load64_splat(a2 + ko);
    x20 = madd(s, b0, x20); x21 = madd(s, b1, x21);
    s = v128.load64_splat(a3 + ko);
    x30 = madd(s, b0, x30); x31 = madd(s, b1, x31);
    ko += ak;
    bo += ldb8;
  }
  v128.store(c, x00); v128.store(c, x01, 16);
  v128.store(c1, x10); v128.store(c1, x11, 16);
  v128.store(c2, x20); v128.store(c2, x21, 16);
  v128.store(c3, x30); v128.store(c3, x31, 16);
}

function kernel1x16(K: i32, a: usize, ak: usize, b: usize, ldb8: usize, c: usize, keep: bool): void {
  let x0 = f64x2.splat(0), x1 = f64x2.splat(0), x2 = f64x2.splat(0), x3 = f64x2.splat(0);
  let x4 = f64x2.splat(0), x5 = f64x2.splat(0), x6 = f64x2.splat(0), x7 = f64x2.splat(0);
  if (keep) {
    x0 = v128.load(c); x1 = v128.load(c, 16); x2 = v128.load(c, 32); x3 = v128.load(c, 48);
    x4 = v128.load(c, 64); x5 = v128.load(c, 80); x6 = v128.load(c, 96); x7 = v128.load(c, 112);
  }
  let ko: usize = a, bo: usize = b;
  for (let k = 0; k < K; k++) {
    const s = v128.load64_splat(ko);
    x0 = madd(s, v128.load(bo), x0);
    x1 = madd(s, v128.load(bo, 16), x1);
    x2 = madd(s, v128.load(bo, 32), x2);
    x3 = madd(s, v128.load(bo, 48), x3);
    x4 = madd(s, v128.load(bo, 64), x4);
    x5 = madd(s, v128.load(bo, 80), x5);
    x6 = madd(s, v128.load(bo, 96), x6);
    x7 = madd(s, v128.load(bo, 112), x7);
    ko += ak;
    bo += ldb8;
  }
  v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
  v128.store(c, x4, 64); v128.store(c, x5, 80); v128.store(c, x6, 96); v128.store(c, x7, 112);
}

function kernel1x4(K: i32, a: usize, ak: usize, b: usize, ldb8: usize, c: usize, keep: bool): void {
  let x0 = f64x2.splat(0), x1 = f64x2.splat(0);
  if (keep) { x0 = v128.load(c); x1 = v128.load(c, 16); }
  let ko: usize = a, bo: usize = b;
  for (let k = 0; k < K; k++) {
    const s = v128.load64_splat(ko);
    x0 = madd(s, v128.load(bo), x0);
    x1 = madd(s, v128.load(bo, 16), x1);
    ko += ak;
    bo += ldb8;
  }
  v128.store(c, x0); v128.store(c, x1, 16);
}

function kernel1x1(K: i32, a: usize, ak: usize, b: usize, ldb8: usize, c: usize, keep: bool): void {
  let x: f64 = keep ? load<f64>(c) : 0;
  let ko: usize = a, bo: usize = b;
  for (let k = 0; k < K; k++) {
    x += load<f64>(ko) * load<f64>(bo);
    ko += ak;
    bo += ldb8;
  }
  store<f64>(c, x);
}

/** Rows of A packed at a time: MC × KC values, with a KC × 4 panel of B, make up the scratch. */
const MC: i32 = 64;
/** Bytes of scratch gemm needs. */
export const SCRATCH_BYTES: i32 = (MC * KC + KC * 4) * 8;

/**
 * C[M×N] (+)= Σ_k A(i, k) B[k, j]; see the header for the strides. acc = 0
 * overwrites C. scratch: SCRATCH_BYTES of this memory for packed copies of A
 * and B. Where a panel is reused across tiles it is first copied there,
 * contiguous: a strided panel (a power-of-two row stride, say) would
 * otherwise keep evicting itself from the cache. Packing moves values only,
 * so it changes no result.
 */
export function gemm(
  M: i32, N: i32, K: i32,
  a: usize, ar: usize, ak: usize,
  b: usize, ldb: i32,
  c: usize, ldc: i32, acc: i32,
  scratch: usize,
): void {
  const ldb8 = <usize>ldb << 3, ldc8 = <usize>ldc << 3;
  if (K <= 0) {
    if (acc == 0) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldc8, 0, <usize>N << 3);
    return;
  }
  const M4 = M & ~3, N4 = N & ~3;
  const packB = M4 >= 8, packA = N4 >= 16;
  const pb = scratch, pa = scratch + (<usize>(KC * 4) << 3);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const keep = acc != 0 || k0 > 0;
    const ak0 = a + <usize>k0 * ak, bk0 = b + <usize>k0 * ldb8;
    for (let i0 = 0; i0 < M4; i0 += MC) {
      const mc = min(MC, M4 - i0);
      if (packA) {
        // tile t of 4 rows: [k][r] at pa + (t·kc + k·4 + r)·8
        let dst = pa;
        for (let t = 0; t < mc; t += 4) {
          const src = ak0 + <usize>(i0 + t) * ar;
          for (let k = 0; k < kc; k++) {
            const sk = src + <usize>k * ak;
            store<f64>(dst, load<f64>(sk));
            store<f64>(dst, load<f64>(sk + ar), 8);
            store<f64>(dst, load<f64>(sk + 2 * ar), 16);
            store<f64>(dst, load<f64>(sk + 3 * ar), 24);
            dst += 32;
          }
        }
      }
      for (let j = 0; j < N4; j += 4) {
        let bj = bk0 + (<usize>j << 3), lb = ldb8;
        if (packB) {
          let dst = pb, src = bj;
          for (let k = 0; k < kc; k++) {
            v128.store(dst, v128.load(src));
            v128.store(dst, v128.load(src, 16), 16);
            dst += 32;
            src += ldb8;
          }
          bj = pb;
          lb = 32;
        }
        for (let t = 0; t < mc; t += 4) {
          const ci = c + <usize>(i0 + t) * ldc8 + (<usize>j << 3);
          if (packA) kernel4x4(kc, pa + (<usize>(t * kc) << 3), 8, 32, bj, lb, ci, ldc8, keep);
          else kernel4x4(kc, ak0 + <usize>(i0 + t) * ar, ar, ak, bj, lb, ci, ldc8, keep);
        }
      }
    }
    for (let i = M4; i < M; i++) {
      const ai = ak0 + <usize>i * ar, ci = c + <usize>i * ldc8;
      let j = 0;
      for (; j + 16 <= N; j += 16) kernel1x16(kc, ai, ak, bk0 + (<usize>j << 3), ldb8, ci + (<usize>j << 3), keep);
      for (; j < N4; j += 4) kernel1x4(kc, ai, ak, bk0 + (<usize>j << 3), ldb8, ci + (<usize>j << 3), keep);
    }
    for (let j = N4; j < N; j++) {
      for (let i = 0; i < M; i++) {
        kernel1x1(kc, ak0 + <usize>i * ar, ak, bk0 + (<usize>j << 3), ldb8, c + <usize>i * ldc8 + (<usize>j << 3), keep);
      }
    }
  }
}

/** Bᵀ into out: B is rows × cols (leading dimension ldb), out is cols × rows. */
export function transpose(rows: i32, cols: i32, b: usize, ldb: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    const bi = b + (<usize>(i * ldb) << 3);
    for (let j = 0; j < cols; j++) store<f64>(out + (<usize>(j * rows + i) << 3), load<f64>(bi + (<usize>j << 3)));
  }
}

// tanh, in place, two lanes at a time. With t = expm1(−2|x|) ∈ (−1, 0],
// tanh|x| = −t / (t + 2) has no cancellation anywhere; expm1(y) comes from
// y = k·ln2 + r (|r| ≤ ln2/2, ln2 split so that k·LN2_HI is exact) as
// 2^k·expm1(r) + (2^k − 1), with expm1(r) = r + r²·(1/2! + r/3! + … + r¹¹/13!).
// |x| > 22 gives ±1 (1 − tanh 22 is below half an ulp of 1). The portable
// twin in ../fast/tanh.ts performs the same operations in the same order.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const C2: f64 = 1.0 / 2.0;
const C3: f64 = 1.0 / 6.0;
const C4: f64 = 1.0 / 24.0;
const C5: f64 = 1.0 / 120.0;
const C6: f64 = 1.0 / 720.0;
const C7: f64 = 1.0 / 5040.0;
const C8: f64 = 1.0 / 40320.0;
const C9: f64 = 1.0 / 362880.0;
const C10: f64 = 1.0 / 3628800.0;
const C11: f64 = 1.0 / 39916800.0;
const C12: f64 = 1.0 / 479001600.0;
const C13: f64 = 1.0 / 6227020800.0;

@inline function mulAdd(a: v128, b: v128, c: f64): v128 {
  return f64x2.add(f64x2.mul(a, b), f64x2.splat(c));
}

function tanh2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const y = f64x2.mul(f64x2.splat(-2), ax);
  const kf = f64x2.floor(f64x2.add(f64x2.mul(y, f64x2.splat(INV_LN2)), f64x2.splat(0.5)));
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(kf, f64x2.splat(LN2_HI))), f64x2.mul(kf, f64x2.splat(LN2_LO)));
  let q = mulAdd(f64x2.splat(C13), r, C12);
  q = mulAdd(q, r, C11);
  q = mulAdd(q, r, C10);
  q = mulAdd(q, r, C9);
  q = mulAdd(q, r, C8);
  q = mulAdd(q, r, C7);
  q = mulAdd(q, r, C6);
  q = mulAdd(q, r, C5);
  q = mulAdd(q, r, C4);
  q = mulAdd(q, r, C3);
  q = mulAdd(q, r, C2);
  const em1 = f64x2.add(r, f64x2.mul(f64x2.mul(r, r), q));
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(kf));
  const tk = i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52);
  const t = f64x2.add(f64x2.mul(tk, em1), f64x2.sub(tk, f64x2.splat(1)));
  const th = f64x2.abs(f64x2.div(f64x2.neg(t), f64x2.add(t, f64x2.splat(2))));
  const big = f64x2.gt(ax, f64x2.splat(22));
  const mag = v128.bitselect(f64x2.splat(1), th, big);
  return v128.or(mag, v128.and(x, i64x2.splat(0x8000000000000000)));
}

/** a[i] = tanh(a[i]) for the n values at byte offset a. */
export function tanh_inplace(a: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const p = a + (<usize>i << 3);
    v128.store(p, tanh2(v128.load(p)));
  }
  if (i < n) {
    const p = a + (<usize>i << 3);
    store<f64>(p, f64x2.extract_lane(tanh2(f64x2.splat(load<f64>(p))), 0));
  }
}
