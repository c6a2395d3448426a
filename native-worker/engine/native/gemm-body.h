// One thread's matrix product for one element type, included by gemm.c once
// for float64 and once for float32, which define first:
//   REAL            the element type
//   NAME(x)         x with the type's suffix (gemmRows64, gemmRows32)
//   TNR             the tile's columns (two tile vectors)
//   TV, T*(…)       the tile's vectors (AVX-512 or AVX2) and their load, store, set1, fma, add
//   RV, RL, R*(…)   the row loop's 256-bit vectors, RL lanes each
// Each element of C is one sum in k order (fused multiply-adds with the
// vector units, plain ones without), so a split by rows or columns never
// changes its bits.

/** One row of C: c[0..N) (+)= Σ_k A(k) B[k, 0..N), A(k) at a + k·ak. */
static void NAME(row)(int N, int K, const uint8_t *a, size_t ak, const REAL *b, size_t ldb, REAL *c, int keep) {
  int j = 0;
#if VECTOR
  for (; j + 4 * RL <= N; j += 4 * RL) {
    RV x0 = keep ? RLOAD(c + j) : RZERO(), x1 = keep ? RLOAD(c + j + RL) : RZERO();
    RV x2 = keep ? RLOAD(c + j + 2 * RL) : RZERO(), x3 = keep ? RLOAD(c + j + 3 * RL) : RZERO();
    const REAL *bk = b + j;
    for (int k = 0; k < K; k++, bk += ldb) {
      RV s = RSET1(*(const REAL *)(a + k * ak));
      x0 = RFMA(s, RLOAD(bk), x0);
      x1 = RFMA(s, RLOAD(bk + RL), x1);
      x2 = RFMA(s, RLOAD(bk + 2 * RL), x2);
      x3 = RFMA(s, RLOAD(bk + 3 * RL), x3);
    }
    RSTORE(c + j, x0);
    RSTORE(c + j + RL, x1);
    RSTORE(c + j + 2 * RL, x2);
    RSTORE(c + j + 3 * RL, x3);
  }
  for (; j + RL <= N; j += RL) {
    RV x0 = keep ? RLOAD(c + j) : RZERO();
    const REAL *bk = b + j;
    for (int k = 0; k < K; k++, bk += ldb) x0 = RFMA(RSET1(*(const REAL *)(a + k * ak)), RLOAD(bk), x0);
    RSTORE(c + j, x0);
  }
#endif
  for (; j < N; j++) {
    REAL x = keep ? c[j] : 0;
    for (int k = 0; k < K; k++) x += *(const REAL *)(a + k * ak) * b[(size_t)k * ldb + j];
    c[j] = x;
  }
}

/**
 * The MR × TNR tile from A's MR rows, A(r, k) at pa + r·rs + k·ks (bytes: a
 * packed panel [k][MR], or A itself), and a B panel of row stride ldb (TNR
 * when packed), into rows [0, mr) and columns [0, nr) of C (row stride ldc):
 * added to it when keep, else written. A whole tile goes from the registers
 * to C; a part of one through t.
 */
static void NAME(tile)(int K, const uint8_t *pa, size_t rs, size_t ks, const REAL *pb, size_t ldb, REAL *C, size_t ldc, int mr, int nr, int keep) {
  REAL t[MR][TNR];
#if VECTOR
  TV x[MR][2];
  for (int r = 0; r < MR; r++) x[r][0] = x[r][1] = TZERO();
  for (int k = 0; k < K; k++, pa += ks, pb += ldb) {
    TV b0 = TLOAD(pb), b1 = TLOAD(pb + TNR / 2);
    for (int r = 0; r < MR; r++) {
      TV s = TSET1(*(const REAL *)(pa + r * rs));
      x[r][0] = TFMA(s, b0, x[r][0]);
      x[r][1] = TFMA(s, b1, x[r][1]);
    }
  }
  if (mr == MR && nr == TNR) {
    for (int r = 0; r < MR; r++) {
      REAL *ci = C + (size_t)r * ldc;
      TSTORE(ci, keep ? TADD(TLOAD(ci), x[r][0]) : x[r][0]);
      TSTORE(ci + TNR / 2, keep ? TADD(TLOAD(ci + TNR / 2), x[r][1]) : x[r][1]);
    }
    return;
  }
  for (int r = 0; r < MR; r++) {
    TSTORE(t[r], x[r][0]);
    TSTORE(t[r] + TNR / 2, x[r][1]);
  }
#else
  memset(t, 0, sizeof t);
  for (int k = 0; k < K; k++, pa += ks, pb += ldb)
    for (int r = 0; r < MR; r++)
      for (int j = 0; j < TNR; j++) t[r][j] += *(const REAL *)(pa + r * rs) * pb[j];
#endif
  for (int r = 0; r < mr; r++) {
    REAL *ci = C + (size_t)r * ldc;
    if (keep) for (int j = 0; j < nr; j++) ci[j] += t[r][j];
    else for (int j = 0; j < nr; j++) ci[j] = t[r][j];
  }
}

void NAME(gemmRows)(const Packs *packs, uint8_t *base, int M0, int M1, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc) {
  REAL *pA = packs->a, *pB = packs->b;
  a += (size_t)M0 * ar;
  c += (size_t)M0 * ldc * sizeof(REAL);
  int M = M1 - M0;
  REAL *B = (REAL *)(base + b), *C = (REAL *)(base + c);
  if (K <= 0) {
    if (!acc) for (int i = 0; i < M; i++) memset(C + (size_t)i * ldc, 0, sizeof(REAL) * N);
    return;
  }
  if (M < MR) {
    for (int k0 = 0; k0 < K; k0 += KC) {
      int kc = K - k0 < KC ? K - k0 : KC;
      for (int i = 0; i < M; i++) NAME(row)(N, kc, base + a + i * ar + k0 * ak, ak, B + (size_t)k0 * ldb, ldb, C + (size_t)i * ldc, acc || k0 > 0);
    }
    return;
  }
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    int keep = acc || k0 > 0;
    for (int i0 = 0; i0 < M; i0 += MC) {
      int mc = M - i0 < MC ? M - i0 : MC;
      // A block, in tiles of MR rows: [tile][k][r], zero past row M; read in place instead (but for a
      // last, partial tile) when few column panels use it, where packing costs as much as they save
      int inPlace = N <= 2 * TNR;
      for (int ti = 0; ti < mc; ti += MR) {
        if (inPlace && ti + MR <= mc) continue;
        REAL *dst = pA + (size_t)ti * kc;
        for (int k = 0; k < kc; k++)
          for (int r = 0; r < MR; r++) dst[k * MR + r] = ti + r < mc ? *(const REAL *)(base + a + (i0 + ti + r) * ar + (k0 + k) * ak) : 0;
      }
      for (int j0 = 0; j0 < N; j0 += TNR) {
        int nr = N - j0 < TNR ? N - j0 : TNR;
        // a full panel used by few row tiles is read in place; otherwise packed (contiguous, zero-padded)
        const REAL *panel = B + (size_t)k0 * ldb + j0;
        size_t stride = (size_t)ldb;
        if (nr < TNR || mc > 4 * MR) {
          for (int k = 0; k < kc; k++) {
            const REAL *src = panel + (size_t)k * ldb;
            for (int j = 0; j < TNR; j++) pB[k * TNR + j] = j < nr ? src[j] : 0;
          }
          panel = pB;
          stride = TNR;
        }
        for (int ti = 0; ti < mc; ti += MR) {
          int mr = mc - ti < MR ? mc - ti : MR;
          REAL *c0 = C + (size_t)(i0 + ti) * ldc + j0;
          if (inPlace && mr == MR) NAME(tile)(kc, base + a + (i0 + ti) * ar + k0 * ak, ar, ak, panel, stride, c0, (size_t)ldc, mr, nr, keep);
          else NAME(tile)(kc, (const uint8_t *)(pA + (size_t)ti * kc), sizeof(REAL), MR * sizeof(REAL), panel, stride, c0, (size_t)ldc, mr, nr, keep);
        }
      }
    }
  }
}
