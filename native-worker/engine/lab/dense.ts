// Small dense linear algebra for the gradient lab, all float64 row-major:
// the symmetric eigenproblem (cyclic Jacobi rotations, which give every
// eigenpair to rounding), the largest eigenvalue alone (Householder
// tridiagonalisation, then bisection on Sturm counts) and through it the
// spectral norm, and a linear solve (Gaussian elimination with partial
// pivoting) for Newton's method.

/** Eigenvalues (descending) and unit eigenvectors (columns of `vectors`, n×n) of a symmetric n×n matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/**
 * All eigenpairs of the symmetric n×n matrix a (only read; symmetry is
 * assumed) by cyclic Jacobi: each rotation zeroes one off-diagonal pair,
 * and the sweeps stop once the off-diagonal mass is rounding next to the
 * diagonal. Cost O(n³) per sweep; a handful of sweeps (quadratic convergence).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const h = Float64Array.from({ length: n * n }, (_, i) => a[i]);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0,
      diag = 0;
    for (let i = 0; i < n; i++) {
      diag += h[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += h[i * n + j] ** 2;
    }
    // rotations leave off-diagonal rounding of about ε‖A‖ per entry; below that a sweep changes nothing
    if (off === 0 || off <= (n * Number.EPSILON) ** 2 * diag) break;
    if (!Number.isFinite(off)) throw new RangeError('symmetricEigen: the matrix is not finite');
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = h[p * n + q];
        if (apq === 0) continue;
        // the rotation (c, s) with tan 2θ = 2 a_pq / (a_qq − a_pp), the smaller root for stability
        const theta = (h[q * n + q] - h[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const hkp = h[k * n + p],
            hkq = h[k * n + q];
          h[k * n + p] = c * hkp - s * hkq;
          h[k * n + q] = s * hkp + c * hkq;
        }
        for (let k = 0; k < n; k++) {
          const hpk = h[p * n + k],
            hqk = h[q * n + k];
          h[p * n + k] = c * hpk - s * hqk;
          h[q * n + k] = s * hpk + c * hqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p],
            vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => h[j * n + j] - h[i * n + i]);
  const values = Float64Array.from(order, (i) => h[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from];
  });
  return { values, vectors };
}

/**
 * The largest eigenvalue of the symmetric n×n matrix a (copied): Householder
 * reduction to tridiagonal form (4n³/3 multiply-adds), then bisection on the
 * Sturm count of the tridiagonal matrix to the last bit.
 */
export function largestSymmetricEigenvalue(a: ArrayLike<number>, n: number): number {
  if (n === 0) return Number.NaN;
  const h = Float64Array.from({ length: n * n }, (_, i) => a[i]);
  const v = new Float64Array(n),
    q = new Float64Array(n);
  const diag = new Float64Array(n),
    sub = new Float64Array(n); // sub[k] = entry (k + 1, k)
  for (let k = 0; k < n - 2; k++) {
    // H = I − 2vvᵀ maps h[k+1.., k] onto α e_1; H A22 H = A22 − 2(v wᵀ + w vᵀ), w = p − (vᵀp) v, p = A22 v
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm += h[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const x0 = h[(k + 1) * n + k];
    const alpha = x0 > 0 ? -norm : norm;
    sub[k] = alpha;
    let vv = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = h[i * n + k] - (i === k + 1 ? alpha : 0);
      vv += v[i] * v[i];
    }
    if (vv === 0) continue;
    const inv = 1 / Math.sqrt(vv);
    for (let i = k + 1; i < n; i++) v[i] *= inv;
    let vp = 0;
    for (let i = k + 1; i < n; i++) {
      let pi = 0;
      for (let j = k + 1; j < n; j++) pi += h[i * n + j] * v[j];
      q[i] = pi;
      vp += v[i] * pi;
    }
    for (let i = k + 1; i < n; i++) q[i] -= vp * v[i];
    for (let i = k + 1; i < n; i++) for (let j = k + 1; j < n; j++) h[i * n + j] -= 2 * (v[i] * q[j] + q[i] * v[j]);
  }
  for (let i = 0; i < n; i++) diag[i] = h[i * n + i];
  if (n >= 2) sub[n - 2] = h[(n - 1) * n + n - 2];
  // Gershgorin bounds, then bisection: below(x) counts the eigenvalues < x (negative pivots of T − xI = LDLᵀ)
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(sub[i - 1]) : 0) + (i < n - 1 ? Math.abs(sub[i]) : 0);
    lo = Math.min(lo, diag[i] - r);
    hi = Math.max(hi, diag[i] + r);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('largestSymmetricEigenvalue: the matrix is not finite');
  const below = (x: number): number => {
    let count = 0,
      d = 1;
    for (let i = 0; i < n; i++) {
      d = diag[i] - x - (i > 0 ? (sub[i - 1] * sub[i - 1]) / d : 0);
      if (d === 0) d = -Number.MIN_VALUE;
      if (d < 0) count++;
    }
    return count;
  };
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return hi;
    if (below(mid) === n) hi = mid;
    else lo = mid;
  }
}

/** ‖A‖₂, the largest singular value of the rows×cols matrix a: √λmax(AᵀA). */
export function spectralNorm(a: ArrayLike<number>, rows: number, cols: number): number {
  if (rows === 0 || cols === 0) return 0;
  const g = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols; i++) {
      const ari = a[r * cols + i];
      if (ari === 0) continue;
      for (let j = i; j < cols; j++) g[i * cols + j] += ari * a[r * cols + j];
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g[i * cols + j] = g[j * cols + i];
  return Math.sqrt(Math.max(0, largestSymmetricEigenvalue(g, cols)));
}

/** x with A x = b for the n×n matrix a (copied), or null when A is singular to working precision. */
export function solve(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | null {
  const m = Float64Array.from({ length: n * n }, (_, i) => a[i]);
  const x = Float64Array.from({ length: n }, (_, i) => b[i]);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(m[i]));
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]) > Math.abs(m[piv * n + k])) piv = i;
    if (!(Math.abs(m[piv * n + k]) > n * Number.EPSILON * scale)) return null;
    if (piv !== k) {
      for (let j = 0; j < n; j++) [m[k * n + j], m[piv * n + j]] = [m[piv * n + j], m[k * n + j]];
      [x[k], x[piv]] = [x[piv], x[k]];
    }
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k] / m[k * n + k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) m[i * n + j] -= f * m[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let sum = x[k];
    for (let j = k + 1; j < n; j++) sum -= m[k * n + j] * x[j];
    x[k] = sum / m[k * n + k];
  }
  return x;
}
