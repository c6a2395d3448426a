// For the trainer, on any Float64Arrays rather than a workspace's memory:
// the per-step sums of every matrix and plain SGD's update.

#include "kernels.h"
#if VECTOR
#include <immintrin.h>
#endif

/**
 * The trainer's per-step sums over [from, to) of three float64 arrays g, p, q:
 * out[0..3] = Σ g², Σ p², Σ (p − q)², Σ q² (gradient, weights, update and
 * previous weights of one matrix). Vector lanes are summed at the end, so the
 * result differs from a running sum in the last bits; it is the same on every
 * call.
 */
void sums4(const double *g, const double *p, const double *q, size_t n, double out[4]) {
  size_t i = 0;
  double gg = 0, pp = 0, uu = 0, qq = 0;
#if VECTOR
  __m256d sg = _mm256_setzero_pd(), sp = sg, su = sg, sq = sg;
  for (; i + 4 <= n; i += 4) {
    __m256d vg = _mm256_loadu_pd(g + i), vp = _mm256_loadu_pd(p + i), vq = _mm256_loadu_pd(q + i), vu = _mm256_sub_pd(vp, vq);
    sg = _mm256_fmadd_pd(vg, vg, sg);
    sp = _mm256_fmadd_pd(vp, vp, sp);
    su = _mm256_fmadd_pd(vu, vu, su);
    sq = _mm256_fmadd_pd(vq, vq, sq);
  }
  double lanes[4][4];
  _mm256_storeu_pd(lanes[0], sg);
  _mm256_storeu_pd(lanes[1], sp);
  _mm256_storeu_pd(lanes[2], su);
  _mm256_storeu_pd(lanes[3], sq);
  gg = (lanes[0][0] + lanes[0][1]) + (lanes[0][2] + lanes[0][3]);
  pp = (lanes[1][0] + lanes[1][1]) + (lanes[1][2] + lanes[1][3]);
  uu = (lanes[2][0] + lanes[2][1]) + (lanes[2][2] + lanes[2][3]);
  qq = (lanes[3][0] + lanes[3][1]) + (lanes[3][2] + lanes[3][3]);
#endif
  for (; i < n; i++) {
    double u = p[i] - q[i];
    gg += g[i] * g[i];
    pp += p[i] * p[i];
    uu += u * u;
    qq += q[i] * q[i];
  }
  out[0] = gg;
  out[1] = pp;
  out[2] = uu;
  out[3] = qq;
}

/** p[i] −= lr · g[i]: a product then a difference, as in JavaScript (no fused multiply-add), so the same bits. */
void sgdStep(double *p, const double *g, double lr, size_t n) {
  size_t i = 0;
#if VECTOR
  __m256d r = _mm256_set1_pd(lr);
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(p + i, _mm256_sub_pd(_mm256_loadu_pd(p + i), _mm256_mul_pd(r, _mm256_loadu_pd(g + i))));
#endif
  for (; i < n; i++) p[i] -= lr * g[i];
}
