// For the trainer, on any Float64Arrays (or float32 weights) rather than a
// workspace's memory: the per-step sums of every matrix, plain SGD's update,
// and the count behind the saturation metric.

#include "kernels.h"
#if VECTOR
#include <immintrin.h>
#endif

/**
 * The trainer's per-step sums over [from, to) of three arrays g, p, q:
 * out[0..3] = Σ g², Σ p², Σ (p − q)², Σ q² (gradient, weights, update and
 * previous weights of one matrix), in float64: sums4 on float64 weights,
 * sums4f on float32 ones (each widened to float64, as JavaScript reads a
 * Float32Array). Vector lanes are summed at the end, so the result differs
 * from a running sum in the last bits; it is the same on every call. LOAD4
 * reads four weights as float64.
 */
#define SUMS4(name, WEIGHT, LOAD4)                                                                    \
  void name(const double *g, const WEIGHT *p, const WEIGHT *q, size_t n, double out[4]) {            \
    size_t i = 0;                                                                                     \
    double gg = 0, pp = 0, uu = 0, qq = 0;                                                            \
    VECTOR_SUMS(LOAD4)                                                                                \
    for (; i < n; i++) {                                                                              \
      double w = p[i], b = q[i], u = w - b;                                                           \
      gg += g[i] * g[i];                                                                              \
      pp += w * w;                                                                                    \
      uu += u * u;                                                                                    \
      qq += b * b;                                                                                    \
    }                                                                                                 \
    out[0] = gg;                                                                                      \
    out[1] = pp;                                                                                      \
    out[2] = uu;                                                                                      \
    out[3] = qq;                                                                                      \
  }
#if VECTOR
#define VECTOR_SUMS(LOAD4)                                                                            \
  __m256d sg = _mm256_setzero_pd(), sp = sg, su = sg, sq = sg;                                        \
  for (; i + 4 <= n; i += 4) {                                                                        \
    __m256d vg = _mm256_loadu_pd(g + i), vp = LOAD4(p + i), vq = LOAD4(q + i), vu = _mm256_sub_pd(vp, vq); \
    sg = _mm256_fmadd_pd(vg, vg, sg);                                                                 \
    sp = _mm256_fmadd_pd(vp, vp, sp);                                                                 \
    su = _mm256_fmadd_pd(vu, vu, su);                                                                 \
    sq = _mm256_fmadd_pd(vq, vq, sq);                                                                 \
  }                                                                                                   \
  double lanes[4][4];                                                                                 \
  _mm256_storeu_pd(lanes[0], sg);                                                                     \
  _mm256_storeu_pd(lanes[1], sp);                                                                     \
  _mm256_storeu_pd(lanes[2], su);                                                                     \
  _mm256_storeu_pd(lanes[3], sq);                                                                     \
  gg = (lanes[0][0] + lanes[0][1]) + (lanes[0][2] + lanes[0][3]);                                     \
  pp = (lanes[1][0] + lanes[1][1]) + (lanes[1][2] + lanes[1][3]);                                     \
  uu = (lanes[2][0] + lanes[2][1]) + (lanes[2][2] + lanes[2][3]);                                     \
  qq = (lanes[3][0] + lanes[3][1]) + (lanes[3][2] + lanes[3][3]);
#define WIDEN4(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
#else
#define VECTOR_SUMS(LOAD4)
#endif

SUMS4(sums4, double, _mm256_loadu_pd)
SUMS4(sums4f, float, WIDEN4)

/** p[i] −= lr · g[i]: a product then a difference, as in JavaScript (no fused multiply-add), so the same bits. */
void sgdStep(double *p, const double *g, double lr, size_t n) {
  size_t i = 0;
#if VECTOR
  __m256d r = _mm256_set1_pd(lr);
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(p + i, _mm256_sub_pd(_mm256_loadu_pd(p + i), _mm256_mul_pd(r, _mm256_loadu_pd(g + i))));
#endif
  for (; i < n; i++) p[i] -= lr * g[i];
}

/** p[i] = float32(p[i] − lr · g[i]), the difference in float64: the bits of that loop in JavaScript on a Float32Array. */
void sgdStep32(float *p, const double *g, double lr, size_t n) {
  size_t i = 0;
#if VECTOR
  __m256d r = _mm256_set1_pd(lr);
  for (; i + 4 <= n; i += 4) {
    __m256d v = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(p + i)), _mm256_mul_pd(r, _mm256_loadu_pd(g + i)));
    _mm_storeu_ps(p + i, _mm256_cvtpd_ps(v));
  }
#endif
  for (; i < n; i++) p[i] = (float)((double)p[i] - lr * g[i]);
}

/** The values of a[0..n) with |v| > threshold (compared in float64, as JavaScript does), or −1 when one is NaN. */
#define SATURATED(name, REAL)                                                                         \
  long name(const REAL *a, size_t n, double threshold) {                                              \
    long count = 0;                                                                                   \
    int nan = 0;                                                                                      \
    for (size_t i = 0; i < n; i++) {                                                                  \
      double v = a[i];                                                                                \
      count += v > threshold || v < -threshold;                                                       \
      nan |= v != v;                                                                                  \
    }                                                                                                 \
    return nan ? -1 : count;                                                                          \
  }

SATURATED(saturated64, double)
SATURATED(saturated32, float)
