// Eigenvalues of a general real square matrix, the dense textbook route:
// balance (Parlett & Reinsch), reduce to upper Hessenberg form with
// Householder reflections (Golub & Van Loan, Alg. 7.4.2), then run the
// Francis double-shift QR iteration with deflation on the Hessenberg matrix
// (EISPACK hqr; Golub & Van Loan, Alg. 7.5.2; Numerical Recipes `hqr`).
// Used for the spectrum of W in EvalMetrics and its spectral radius, whose
// size relative to 1 says whether s^t = f(U x^t + W s^{t−1}) (MATH.md) tends
// to forget or to amplify its past.
//
// The in-place stages are exported so that a caller that runs every step
// (spectral.ts) can reuse its own buffers and allocate nothing.

const EPS = Number.EPSILON;

/**
 * All eigenvalues of the n×n row-major matrix a[offset, offset + n²), as
 * interleaved (re, im) pairs sorted by modulus descending, then re
 * descending, then im descending (so a conjugate pair lists +im first).
 */
export function eigenvalues(a: ArrayLike<number>, offset: number, n: number): Float64Array {
  const h = copySquare('eigenvalues', a, offset, n);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  eigenvaluesInPlace(h, n, wr, wi, new Float64Array(2 * n));
  return sortedPairs(wr, wi);
}

/** max |λ| over the eigenvalues of the n×n row-major matrix at a[offset]. */
export function spectralRadius(a: ArrayLike<number>, offset: number, n: number): number {
  const h = copySquare('spectralRadius', a, offset, n);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  eigenvaluesInPlace(h, n, wr, wi, new Float64Array(2 * n));
  return maxModulus(wr, wi, n);
}

/**
 * Balance, reduce and iterate in place: h (n×n, destroyed) in, eigenvalues
 * out in wr/wi (unsorted). work needs 2n entries. The caller checks that h
 * is finite.
 */
export function eigenvaluesInPlace(h: Float64Array, n: number, wr: Float64Array, wi: Float64Array, work: Float64Array): void {
  balance(h, n);
  reduceToHessenberg(h, n, work);
  hessenbergEigenvalues(h, n, wr, wi);
}

/** max over i < count of |wr[i] + i·wi[i]|. */
export function maxModulus(wr: ArrayLike<number>, wi: ArrayLike<number>, count: number): number {
  let r = 0;
  for (let i = 0; i < count; i++) {
    const m = Math.hypot(wr[i], wi[i]);
    if (m > r) r = m;
  }
  return r;
}

/**
 * Diagonal similarity by powers of two (exact, so the spectrum is unchanged)
 * that brings each row and column to comparable norms; this makes the QR
 * iteration's errors proportional to the balanced norm, which matters for
 * badly scaled matrices such as companion matrices.
 */
export function balance(h: Float64Array, n: number): void {
  const radix = 2;
  const radix2 = radix * radix;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 0; i < n; i++) {
      let c = 0;
      let r = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(h[j * n + i]);
        r += Math.abs(h[i * n + j]);
      }
      if (c === 0 || r === 0) continue;
      const s = c + r;
      let f = 1;
      let g = r / radix;
      while (c < g) {
        f *= radix;
        c *= radix2;
      }
      g = r * radix;
      while (c > g) {
        f /= radix;
        c /= radix2;
      }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        const inv = 1 / f;
        for (let j = 0; j < n; j++) h[i * n + j] *= inv;
        for (let j = 0; j < n; j++) h[j * n + i] *= f;
      }
    }
  }
}

/**
 * Householder reduction to upper Hessenberg form, in place (the orthogonal
 * factor is not kept). work needs 2n entries: the reflector u and uᵀA.
 */
export function reduceToHessenberg(h: Float64Array, n: number, work: Float64Array): void {
  for (let k = 0; k + 2 < n; k++) {
    // The reflector maps x = h[k+1.., k] onto a multiple of e_1; scaling by
    // Σ|x| first keeps the squares from overflowing or underflowing.
    const len = n - k - 1;
    let scale = 0;
    for (let i = 0; i < len; i++) scale += Math.abs(h[(k + 1 + i) * n + k]);
    if (scale === 0) continue;
    let sq = 0;
    for (let i = 0; i < len; i++) {
      const v = h[(k + 1 + i) * n + k] / scale;
      work[i] = v;
      sq += v * v;
    }
    const v0 = work[0];
    const alpha = v0 > 0 ? -Math.sqrt(sq) : Math.sqrt(sq);
    work[0] = v0 - alpha;
    // P = I − β u uᵀ with β = 2 / uᵀu = 1 / (α² − α v0).
    const beta = 1 / (alpha * alpha - alpha * v0);

    // Left: rows k+1.., columns k+1.. (column k becomes α·scale e_1 below).
    const w = n;
    for (let j = k + 1; j < n; j++) work[w + j] = 0;
    for (let i = 0; i < len; i++) {
      const ui = work[i];
      if (ui === 0) continue;
      const row = (k + 1 + i) * n;
      for (let j = k + 1; j < n; j++) work[w + j] += ui * h[row + j];
    }
    for (let j = k + 1; j < n; j++) work[w + j] *= beta;
    for (let i = 0; i < len; i++) {
      const ui = work[i];
      if (ui === 0) continue;
      const row = (k + 1 + i) * n;
      for (let j = k + 1; j < n; j++) h[row + j] -= ui * work[w + j];
    }
    h[(k + 1) * n + k] = alpha * scale;
    for (let i = 1; i < len; i++) h[(k + 1 + i) * n + k] = 0;

    // Right: every row, columns k+1..
    for (let r = 0; r < n; r++) {
      const row = r * n + k + 1;
      let d = 0;
      for (let i = 0; i < len; i++) d += h[row + i] * work[i];
      d *= beta;
      if (d === 0) continue;
      for (let i = 0; i < len; i++) h[row + i] -= d * work[i];
    }
  }
}

/**
 * Eigenvalues of the upper Hessenberg n×n matrix h (destroyed) by the
 * Francis double-shift QR iteration, written into wr/wi. Entries below the
 * subdiagonal are ignored. Throws when the total number of QR sweeps
 * exceeds maxIterations (EISPACK's default budget is 30 per eigenvalue).
 */
export function hessenbergEigenvalues(h: Float64Array, n: number, wr: Float64Array, wi: Float64Array, maxIterations = 30 * n): void {
  const at = (i: number, j: number): number => i * n + j;
  let anorm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(h[at(i, j)]);
  }
  // Shifts applied by exceptional steps accumulate in t and are added back
  // to each eigenvalue as it deflates.
  let t = 0;
  let nn = n - 1;
  let its = 0;
  let total = 0;
  while (nn >= 0) {
    // Look for a negligible subdiagonal entry, bottom up: the active block
    // is rows/columns l..nn.
    let l = nn;
    for (; l >= 1; l--) {
      let s = Math.abs(h[at(l - 1, l - 1)]) + Math.abs(h[at(l, l)]);
      if (s === 0) s = anorm;
      if (Math.abs(h[at(l, l - 1)]) <= EPS * s) {
        h[at(l, l - 1)] = 0;
        break;
      }
    }
    let x = h[at(nn, nn)];
    if (l === nn) {
      // One real eigenvalue deflates.
      wr[nn] = x + t;
      wi[nn] = 0;
      nn -= 1;
      its = 0;
      continue;
    }
    let y = h[at(nn - 1, nn - 1)];
    let w = h[at(nn, nn - 1)] * h[at(nn - 1, nn)];
    if (l === nn - 1) {
      // A 2×2 block deflates: a real pair or a complex-conjugate pair.
      const p = 0.5 * (y - x);
      const q = p * p + w;
      let z = Math.sqrt(Math.abs(q));
      x += t;
      if (q >= 0) {
        z = p + (p >= 0 ? z : -z);
        wr[nn - 1] = x + z;
        wr[nn] = z !== 0 ? x - w / z : x + z;
        wi[nn - 1] = 0;
        wi[nn] = 0;
      } else {
        wr[nn - 1] = x + p;
        wr[nn] = x + p;
        wi[nn - 1] = z;
        wi[nn] = -z;
      }
      nn -= 2;
      its = 0;
      continue;
    }

    if (total >= maxIterations) {
      throw new Error(
        `eigenvalues: QR iteration did not converge within ${maxIterations} sweeps ` +
          `(n = ${n}, ${n - 1 - nn} of ${n} eigenvalues found)`,
      );
    }
    if (its === 10 || its === 20) {
      // Exceptional shift (EISPACK): breaks the cycles that the Francis
      // shift falls into on matrices such as cyclic permutations.
      t += x;
      for (let i = 0; i <= nn; i++) h[at(i, i)] -= x;
      const s = Math.abs(h[at(nn, nn - 1)]) + Math.abs(h[at(nn - 1, nn - 2)]);
      x = 0.75 * s;
      y = x;
      w = -0.4375 * s * s;
    }
    its += 1;
    total += 1;

    // Find the bottom-most m at which two consecutive small subdiagonal
    // entries let the double-shift bulge start (Francis' first column).
    let m = nn - 2;
    let p = 0;
    let q = 0;
    let r = 0;
    let z = 0;
    for (; m >= l; m--) {
      z = h[at(m, m)];
      r = x - z;
      const s0 = y - z;
      p = (r * s0 - w) / h[at(m + 1, m)] + h[at(m, m + 1)];
      q = h[at(m + 1, m + 1)] - z - r - s0;
      r = h[at(m + 2, m + 1)];
      const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m === l) break;
      const u = Math.abs(h[at(m, m - 1)]) * (Math.abs(q) + Math.abs(r));
      const v = Math.abs(p) * (Math.abs(h[at(m - 1, m - 1)]) + Math.abs(z) + Math.abs(h[at(m + 1, m + 1)]));
      if (u <= EPS * v) break;
    }
    for (let i = m + 2; i <= nn; i++) {
      h[at(i, i - 2)] = 0;
      if (i !== m + 2) h[at(i, i - 3)] = 0;
    }

    // Chase the bulge down with 3×3 Householder reflections, touching only
    // the active block.
    for (let k = m; k <= nn - 1; k++) {
      if (k !== m) {
        p = h[at(k, k - 1)];
        q = h[at(k + 1, k - 1)];
        r = k !== nn - 1 ? h[at(k + 2, k - 1)] : 0;
        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
        if (x !== 0) {
          p /= x;
          q /= x;
          r /= x;
        }
      }
      const norm = Math.sqrt(p * p + q * q + r * r);
      const s = p >= 0 ? norm : -norm;
      if (s === 0) continue;
      if (k === m) {
        if (l !== m) h[at(k, k - 1)] = -h[at(k, k - 1)];
      } else {
        h[at(k, k - 1)] = -s * x;
      }
      p += s;
      x = p / s;
      y = q / s;
      z = r / s;
      q /= p;
      r /= p;
      // P = I − (x, y, z)ᵀ(1, q, r), the Householder reflector for the
      // vector (p + s, q, r), applied to rows k..k+2 from the left and to
      // columns k..k+2 from the right (two of each at the bottom).
      const r0 = k * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      if (k !== nn - 1) {
        for (let j = k; j <= nn; j++) {
          const d = h[r0 + j] + q * h[r1 + j] + r * h[r2 + j];
          h[r0 + j] -= d * x;
          h[r1 + j] -= d * y;
          h[r2 + j] -= d * z;
        }
        const last = Math.min(nn, k + 3);
        for (let i = l, row = l * n + k; i <= last; i++, row += n) {
          const d = x * h[row] + y * h[row + 1] + z * h[row + 2];
          h[row] -= d;
          h[row + 1] -= d * q;
          h[row + 2] -= d * r;
        }
      } else {
        for (let j = k; j <= nn; j++) {
          const d = h[r0 + j] + q * h[r1 + j];
          h[r0 + j] -= d * x;
          h[r1 + j] -= d * y;
        }
        for (let i = l, row = l * n + k; i <= nn; i++, row += n) {
          const d = x * h[row] + y * h[row + 1];
          h[row] -= d;
          h[row + 1] -= d * q;
        }
      }
    }
  }
}

/** Copy the n×n block at a[offset] into a fresh Float64Array, checking shape and finiteness. */
function copySquare(fn: string, a: ArrayLike<number>, offset: number, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`${fn}: offset must be a non-negative integer, got ${offset}`);
  }
  if (offset + n * n > a.length) {
    throw new RangeError(`${fn}: a ${n}×${n} matrix at offset ${offset} does not fit in ${a.length} values`);
  }
  const h = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const v = a[offset + i];
    if (!Number.isFinite(v)) {
      throw new RangeError(`${fn}: entry (${Math.floor(i / n)}, ${i % n}) of the matrix is ${v}`);
    }
    h[i] = v;
  }
  return h;
}

function sortedPairs(wr: Float64Array, wi: Float64Array): Float64Array {
  const n = wr.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const mod = new Float64Array(n);
  for (let i = 0; i < n; i++) mod[i] = Math.hypot(wr[i], wi[i]);
  order.sort((i, j) => mod[j] - mod[i] || wr[j] - wr[i] || wi[j] - wi[i]);
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    out[2 * k] = wr[order[k]];
    out[2 * k + 1] = wi[order[k]];
  }
  return out;
}
