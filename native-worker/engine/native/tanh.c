// tanh in place: the algorithm of tanh_inplace in ../wasm/kernels.as and of
// ../fast/tanh.ts, operation for operation (build.ts compiles with
// -ffp-contract=off, so no multiply-add is fused), hence the same bits.

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
