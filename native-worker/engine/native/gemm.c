// One thread's matrix product, with the semantics of gemm in
// ../wasm/kernels.as over the same memory (a Workspace's WebAssembly memory):
//
//   C[M×N] (+)= Σ_k A(i, k) · B[k, j],  A(i, k) at a + i·ar + k·ak (bytes)
//
// x86-64 gets a packed register-tile kernel, 8 × 16 with AVX-512, 4 × 8 with
// AVX2 and FMA; anything else gets plain loops. Each element is one sum in k
// order, so splitting a product by rows or columns never changes its bits.

#include <stdlib.h>
#include <string.h>
#include "kernels.h"
#if VECTOR
#include <immintrin.h>
#endif

_Thread_local Packs threadPacks = { NULL, NULL };

int packsFor(Packs *p) {
  if (!p->a) p->a = aligned_alloc(64, sizeof(double) * MC * KC);
  if (!p->b) p->b = aligned_alloc(64, sizeof(double) * KC * NR);
  return p->a && p->b;
}

/** One row of C: c[0..N) (+)= Σ_k A(k) B[k, 0..N), A(k) at a + k·ak. */
static void row(int N, int K, const uint8_t *a, size_t ak, const double *b, size_t ldb, double *c, int keep) {
  int j = 0;
#if VECTOR
  for (; j + 16 <= N; j += 16) {
    __m256d x0 = keep ? _mm256_loadu_pd(c + j) : _mm256_setzero_pd();
    __m256d x1 = keep ? _mm256_loadu_pd(c + j + 4) : _mm256_setzero_pd();
    __m256d x2 = keep ? _mm256_loadu_pd(c + j + 8) : _mm256_setzero_pd();
    __m256d x3 = keep ? _mm256_loadu_pd(c + j + 12) : _mm256_setzero_pd();
    const double *bk = b + j;
    for (int k = 0; k < K; k++, bk += ldb) {
      __m256d s = _mm256_broadcast_sd((const double *)(a + k * ak));
      x0 = _mm256_fmadd_pd(s, _mm256_loadu_pd(bk), x0);
      x1 = _mm256_fmadd_pd(s, _mm256_loadu_pd(bk + 4), x1);
      x2 = _mm256_fmadd_pd(s, _mm256_loadu_pd(bk + 8), x2);
      x3 = _mm256_fmadd_pd(s, _mm256_loadu_pd(bk + 12), x3);
    }
    _mm256_storeu_pd(c + j, x0);
    _mm256_storeu_pd(c + j + 4, x1);
    _mm256_storeu_pd(c + j + 8, x2);
    _mm256_storeu_pd(c + j + 12, x3);
  }
  for (; j + 4 <= N; j += 4) {
    __m256d x0 = keep ? _mm256_loadu_pd(c + j) : _mm256_setzero_pd();
    const double *bk = b + j;
    for (int k = 0; k < K; k++, bk += ldb) x0 = _mm256_fmadd_pd(_mm256_broadcast_sd((const double *)(a + k * ak)), _mm256_loadu_pd(bk), x0);
    _mm256_storeu_pd(c + j, x0);
  }
#endif
  for (; j < N; j++) {
    double x = keep ? c[j] : 0;
    for (int k = 0; k < K; k++) x += AT(a, k * ak) * b[(size_t)k * ldb + j];
    c[j] = x;
  }
}

/** The MR × NR tile from a packed A panel (pa: [k][MR]) and a B panel of row stride ldb (NR when packed) into t. */
static void tile(int K, const double *pa, const double *pb, size_t ldb, double t[MR][NR]) {
#if WIDE
  __m512d x[MR][2];
  for (int r = 0; r < MR; r++) x[r][0] = x[r][1] = _mm512_setzero_pd();
  for (int k = 0; k < K; k++, pa += MR, pb += ldb) {
    __m512d b0 = _mm512_loadu_pd(pb), b1 = _mm512_loadu_pd(pb + 8);
    for (int r = 0; r < MR; r++) {
      __m512d s = _mm512_set1_pd(pa[r]);
      x[r][0] = _mm512_fmadd_pd(s, b0, x[r][0]);
      x[r][1] = _mm512_fmadd_pd(s, b1, x[r][1]);
    }
  }
  for (int r = 0; r < MR; r++) {
    _mm512_storeu_pd(t[r], x[r][0]);
    _mm512_storeu_pd(t[r] + 8, x[r][1]);
  }
#elif VECTOR
  __m256d x00 = _mm256_setzero_pd(), x01 = _mm256_setzero_pd(), x10 = _mm256_setzero_pd(), x11 = _mm256_setzero_pd();
  __m256d x20 = _mm256_setzero_pd(), x21 = _mm256_setzero_pd(), x30 = _mm256_setzero_pd(), x31 = _mm256_setzero_pd();
  for (int k = 0; k < K; k++, pa += MR, pb += ldb) {
    __m256d b0 = _mm256_loadu_pd(pb), b1 = _mm256_loadu_pd(pb + 4);
    __m256d s = _mm256_broadcast_sd(pa);
    x00 = _mm256_fmadd_pd(s, b0, x00); x01 = _mm256_fmadd_pd(s, b1, x01);
    s = _mm256_broadcast_sd(pa + 1);
    x10 = _mm256_fmadd_pd(s, b0, x10); x11 = _mm256_fmadd_pd(s, b1, x11);
    s = _mm256_broadcast_sd(pa + 2);
    x20 = _mm256_fmadd_pd(s, b0, x20); x21 = _mm256_fmadd_pd(s, b1, x21);
    s = _mm256_broadcast_sd(pa + 3);
    x30 = _mm256_fmadd_pd(s, b0, x30); x31 = _mm256_fmadd_pd(s, b1, x31);
  }
  _mm256_storeu_pd(t[0], x00); _mm256_storeu_pd(t[0] + 4, x01);
  _mm256_storeu_pd(t[1], x10); _mm256_storeu_pd(t[1] + 4, x11);
  _mm256_storeu_pd(t[2], x20); _mm256_storeu_pd(t[2] + 4, x21);
  _mm256_storeu_pd(t[3], x30); _mm256_storeu_pd(t[3] + 4, x31);
#else
  memset(t, 0, sizeof(double) * MR * NR);
  for (int k = 0; k < K; k++, pa += MR, pb += ldb)
    for (int r = 0; r < MR; r++)
      for (int j = 0; j < NR; j++) t[r][j] += pa[r] * pb[j];
#endif
}


void gemmRows(const Packs *packs, uint8_t *base, int M0, int M1, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc) {
  double *pA = packs->a, *pB = packs->b;
  a += (size_t)M0 * ar;
  c += (size_t)M0 * ldc * sizeof(double);
  int M = M1 - M0;
  double *B = (double *)(base + b), *C = (double *)(base + c);
  if (K <= 0) {
    if (!acc) for (int i = 0; i < M; i++) memset(C + (size_t)i * ldc, 0, sizeof(double) * N);
    return;
  }
  if (M < MR) {
    for (int k0 = 0; k0 < K; k0 += KC) {
      int kc = K - k0 < KC ? K - k0 : KC;
      for (int i = 0; i < M; i++) row(N, kc, base + a + i * ar + k0 * ak, ak, B + (size_t)k0 * ldb, ldb, C + (size_t)i * ldc, acc || k0 > 0);
    }
    return;
  }
  double t[MR][NR];
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    int keep = acc || k0 > 0;
    for (int i0 = 0; i0 < M; i0 += MC) {
      int mc = M - i0 < MC ? M - i0 : MC;
      // A block, in tiles of MR rows: [tile][k][r], zero past row M
      for (int ti = 0; ti < mc; ti += MR) {
        double *dst = pA + (size_t)ti * kc;
        for (int k = 0; k < kc; k++)
          for (int r = 0; r < MR; r++) dst[k * MR + r] = ti + r < mc ? AT(base, a + (i0 + ti + r) * ar + (k0 + k) * ak) : 0;
      }
      for (int j0 = 0; j0 < N; j0 += NR) {
        int nr = N - j0 < NR ? N - j0 : NR;
        // a full panel used by few row tiles is read in place; otherwise packed (contiguous, zero-padded)
        const double *panel = B + (size_t)k0 * ldb + j0;
        size_t stride = (size_t)ldb;
        if (nr < NR || mc > 4 * MR) {
          for (int k = 0; k < kc; k++) {
            const double *src = panel + (size_t)k * ldb;
            for (int j = 0; j < NR; j++) pB[k * NR + j] = j < nr ? src[j] : 0;
          }
          panel = pB;
          stride = NR;
        }
        for (int ti = 0; ti < mc; ti += MR) {
          tile(kc, pA + (size_t)ti * kc, panel, stride, t);
          int mr = mc - ti < MR ? mc - ti : MR;
          for (int r = 0; r < mr; r++) {
            double *ci = C + (size_t)(i0 + ti + r) * ldc + j0;
            if (keep) for (int j = 0; j < nr; j++) ci[j] += t[r][j];
            else for (int j = 0; j < nr; j++) ci[j] = t[r][j];
          }
        }
      }
    }
  }
}
