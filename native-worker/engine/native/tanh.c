// tanh in place: the algorithm of tanh_inplace in ../wasm/kernels.as and of
// ../fast/tanh.ts, operation for operation (build.ts compiles with
// -ffp-contract=off, so no multiply-add is fused), hence the same bits; and
// the same algorithm in float32 arithmetic (tanhInPlace32) for float32 runs.

#include <math.h>
#include <string.h>
#include "kernels.h"
#if VECTOR
#include <immintrin.h>
#endif

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00
static const double CT[12] = {
  1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
  1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0,
};

static double tanh1(double x) {
  double ax = fabs(x), th;
  if (ax > 22) th = 1;
  else if (ax <= 22) {
    double y = -2 * ax;
    double kf = floor(y * INV_LN2 + 0.5);
    double r = (y - kf * LN2_HI) - kf * LN2_LO;
    double q = CT[0] * r + CT[1];
    for (int i = 2; i < 12; i++) q = q * r + CT[i];
    double em1 = r + (r * r) * q;
    uint64_t bits = (uint64_t)((int64_t)kf + 1023) << 52;
    double tk;
    memcpy(&tk, &bits, sizeof tk);
    double t = tk * em1 + (tk - 1);
    th = fabs(-t / (t + 2));
  } else return x;
  uint64_t m, sx;
  memcpy(&m, &th, sizeof m);
  memcpy(&sx, &x, sizeof sx);
  m |= sx & 0x8000000000000000ull;
  memcpy(&th, &m, sizeof th);
  return th;
}

void tanhInPlace(double *a, int n) {
  int i = 0;
#if WIDE && defined(__AVX512DQ__)
  const __m512d two = _mm512_set1_pd(-2), inv = _mm512_set1_pd(INV_LN2), half = _mm512_set1_pd(0.5);
  const __m512d hi = _mm512_set1_pd(LN2_HI), lo = _mm512_set1_pd(LN2_LO), one = _mm512_set1_pd(1), plus2 = _mm512_set1_pd(2);
  const __m512d limit = _mm512_set1_pd(22);
  const __m512i sign = _mm512_set1_epi64((long long)0x8000000000000000ull), bias = _mm512_set1_epi64(1023);
  for (; i + 8 <= n; i += 8) {
    __m512d x = _mm512_loadu_pd(a + i);
    __m512d ax = _mm512_abs_pd(x);
    __m512d y = _mm512_mul_pd(two, ax);
    __m512d kf = _mm512_roundscale_pd(_mm512_add_pd(_mm512_mul_pd(y, inv), half), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    __m512d r = _mm512_sub_pd(_mm512_sub_pd(y, _mm512_mul_pd(kf, hi)), _mm512_mul_pd(kf, lo));
    __m512d q = _mm512_add_pd(_mm512_mul_pd(_mm512_set1_pd(CT[0]), r), _mm512_set1_pd(CT[1]));
    for (int c = 2; c < 12; c++) q = _mm512_add_pd(_mm512_mul_pd(q, r), _mm512_set1_pd(CT[c]));
    __m512d em1 = _mm512_add_pd(r, _mm512_mul_pd(_mm512_mul_pd(r, r), q));
    __m512d tk = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(_mm512_cvttpd_epi64(kf), bias), 52));
    __m512d t = _mm512_add_pd(_mm512_mul_pd(tk, em1), _mm512_sub_pd(tk, one));
    __m512d negt = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(t), sign));
    __m512d th = _mm512_abs_pd(_mm512_div_pd(negt, _mm512_add_pd(t, plus2)));
    __m512d mag = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(ax, limit, _CMP_GT_OQ), th, one);
    __m512i out = _mm512_or_si512(_mm512_castpd_si512(mag), _mm512_and_si512(_mm512_castpd_si512(x), sign));
    _mm512_storeu_pd(a + i, _mm512_castsi512_pd(out));
  }
#endif
  for (; i < n; i++) a[i] = tanh1(a[i]);
}

/**
 * tanh in float32 arithmetic, by the same route: t = expm1(−2|x|) from
 * 2^k · expm1(r) + (2^k − 1), |r| ≤ ln2/2, with expm1(r) = r + r²·q(r) to
 * r⁷ (truncation under 1e-8 of the result), then |tanh x| = −t / (t + 2),
 * accurate to a few float32 ulps near 0 too (no 1 − e cancellation).
 * Vectorised 16 lanes at a time with AVX-512; the tail, or any lane count
 * without it, computes the same operations one value at a time.
 */
#define LN2_HI_F 6.9314575195e-01f
#define LN2_LO_F 1.4286067653e-06f
static const float CF[6] = { 1.0f / 5040.0f, 1.0f / 720.0f, 1.0f / 120.0f, 1.0f / 24.0f, 1.0f / 6.0f, 1.0f / 2.0f };

static float tanh1f(float x) {
  float ax = fabsf(x), th;
  if (ax > 9) th = 1;
  else if (ax <= 9) {
    float y = -2 * ax;
    float kf = floorf(y * (float)INV_LN2 + 0.5f);
    float r = (y - kf * LN2_HI_F) - kf * LN2_LO_F;
    float q = CF[0] * r + CF[1];
    for (int i = 2; i < 6; i++) q = q * r + CF[i];
    float em1 = r + (r * r) * q;
    uint32_t bits = (uint32_t)((int32_t)kf + 127) << 23;
    float tk;
    memcpy(&tk, &bits, sizeof tk);
    float t = tk * em1 + (tk - 1);
    th = fabsf(-t / (t + 2));
  } else return x;
  return copysignf(th, x);
}

void tanhInPlace32(float *a, int n) {
  int i = 0;
#if WIDE
  const __m512 two = _mm512_set1_ps(-2), inv = _mm512_set1_ps((float)INV_LN2), half = _mm512_set1_ps(0.5f);
  const __m512 hi = _mm512_set1_ps(LN2_HI_F), lo = _mm512_set1_ps(LN2_LO_F), one = _mm512_set1_ps(1), plus2 = _mm512_set1_ps(2);
  const __m512 limit = _mm512_set1_ps(9);
  const __m512i sign = _mm512_set1_epi32((int)0x80000000u), bias = _mm512_set1_epi32(127);
  for (; i + 16 <= n; i += 16) {
    __m512 x = _mm512_loadu_ps(a + i);
    __m512 ax = _mm512_abs_ps(x);
    __m512 y = _mm512_mul_ps(two, ax);
    __m512 kf = _mm512_roundscale_ps(_mm512_add_ps(_mm512_mul_ps(y, inv), half), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_sub_ps(_mm512_sub_ps(y, _mm512_mul_ps(kf, hi)), _mm512_mul_ps(kf, lo));
    __m512 q = _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(CF[0]), r), _mm512_set1_ps(CF[1]));
    for (int c = 2; c < 6; c++) q = _mm512_add_ps(_mm512_mul_ps(q, r), _mm512_set1_ps(CF[c]));
    __m512 em1 = _mm512_add_ps(r, _mm512_mul_ps(_mm512_mul_ps(r, r), q));
    __m512 tk = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(kf), bias), 23));
    __m512 t = _mm512_add_ps(_mm512_mul_ps(tk, em1), _mm512_sub_ps(tk, one));
    __m512 negt = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(t), sign));
    __m512 th = _mm512_abs_ps(_mm512_div_ps(negt, _mm512_add_ps(t, plus2)));
    __m512 mag = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(ax, limit, _CMP_GT_OQ), th, one);
    __m512i out = _mm512_or_si512(_mm512_castps_si512(mag), _mm512_and_si512(_mm512_castps_si512(x), sign));
    _mm512_storeu_ps(a + i, _mm512_castsi512_ps(out));
  }
#endif
  for (; i < n; i++) a[i] = tanh1f(a[i]);
}
