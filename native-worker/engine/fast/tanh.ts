// tanh over a typed array in place: the portable twin of tanh_inplace in
// ../wasm/kernels.as, with the same operations in the same order, so both
// give the same bits (within a few ulp of Math.tanh, and about four times
// faster than it even here, since Math.tanh is a call into the runtime).
// With t = expm1(−2|x|): tanh|x| = −t / (t + 2); expm1 by y = k·ln2 + r,
// expm1(y) = 2^k·expm1(r) + (2^k − 1), expm1(r) a degree-13 Taylor polynomial.

import type { FloatArray } from '../tensor';

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const C2 = 1 / 2,
  C3 = 1 / 6,
  C4 = 1 / 24,
  C5 = 1 / 120,
  C6 = 1 / 720,
  C7 = 1 / 5040,
  C8 = 1 / 40320;
const C9 = 1 / 362880,
  C10 = 1 / 3628800,
  C11 = 1 / 39916800,
  C12 = 1 / 479001600,
  C13 = 1 / 6227020800;

/** 2^−k for k = 0..64 (exact). */
const POW2_NEG = Float64Array.from({ length: 65 }, (_, k) => 2 ** -k);

export function tanhInPlace(a: FloatArray, from: number, length: number): void {
  const end = from + length;
  for (let i = from; i < end; i++) {
    const x = a[i];
    const ax = Math.abs(x);
    let th: number;
    if (ax > 22) th = 1;
    else if (ax <= 22) {
      const y = -2 * ax;
      const kf = Math.floor(y * INV_LN2 + 0.5);
      const r = y - kf * LN2_HI - kf * LN2_LO;
      let q = C13 * r + C12;
      q = q * r + C11;
      q = q * r + C10;
      q = q * r + C9;
      q = q * r + C8;
      q = q * r + C7;
      q = q * r + C6;
      q = q * r + C5;
      q = q * r + C4;
      q = q * r + C3;
      q = q * r + C2;
      const em1 = r + r * r * q;
      const tk = POW2_NEG[-kf];
      const t = tk * em1 + (tk - 1);
      th = Math.abs(-t / (t + 2));
    } else th = x; // NaN
    a[i] = x < 0 ? -th : x === 0 ? x : th;
  }
}
