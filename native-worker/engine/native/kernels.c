// The optional native kernels of the fast path: one N-API function, gemm, with
// the semantics of gemm in ../wasm/kernels.as, over the same memory (the
// WebAssembly memory of a Workspace, passed with every call), so that a
// Workspace can hand its big products to it by byte offsets. x86-64 gets a packed
// register-tile kernel, 8 × 16 with AVX-512, 4 × 8 with AVX2 and FMA;
// anything else gets plain loops.
// Built by build.ts with the system's C compiler; the engine works without it.
//
//   C[M×N] (+)= Σ_k A(i, k) · B[k, j],  A(i, k) at a + i·ar + k·ak (bytes)
//
// Arguments come through an Int32Array block in the registered memory (11
// values at its ARGS offset), which keeps the call itself to two arguments.
// Also tanh in place, with the same bits as the WebAssembly and TypeScript ones.

#include <math.h>
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define VECTOR 1
#else
#define VECTOR 0
#endif
#if VECTOR && defined(__AVX512F__)
#define WIDE 1
#define MR 8
#define NR 16
#else
#define WIDE 0
#define MR 4
#define NR 8
#endif

#define KC 256
#define MC 96

/** Packed panels, one set per thread (JavaScript threads may each run a trainer), allocated on first use. */
typedef struct {
  double *a, *b;
} Packs;
static _Thread_local Packs threadPacks = { NULL, NULL };

static int packsFor(Packs *p) {
  if (!p->a) p->a = aligned_alloc(64, sizeof(double) * MC * KC);
  if (!p->b) p->b = aligned_alloc(64, sizeof(double) * KC * NR);
  return p->a && p->b;
}

#define AT(base, off) (*(double *)((base) + (off)))

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

/** Rows [M0, M1) of the product, with thread `id`'s pack buffers. */
static void gemmRows(const Packs *packs, uint8_t *base, int M0, int M1, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc) {
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

// Both cores for big products: a helper thread takes the lower half of C's
// rows (each element is still computed by exactly one thread, in the same
// order, so the result does not depend on the split). It sleeps on a
// condition variable between products.
#define PARALLEL_MIN (1 << 21)

typedef struct {
  uint8_t *base;
  int M0, M1, N, K, ldb, ldc, acc;
  size_t a, ar, ak, b, c;
} Job;

static pthread_t helper;
static Packs helperPacks = { NULL, NULL };
/** Held by the one JavaScript thread using the helper; others run single-threaded meanwhile. */
static pthread_mutex_t parallel = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, done = PTHREAD_COND_INITIALIZER;
static Job job;
static int pending = 0, started = 0, threadsOk = 1;

static void *helperMain(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&lock);
    while (!pending) pthread_cond_wait(&wake, &lock);
    Job j = job;
    pthread_mutex_unlock(&lock);
    gemmRows(&helperPacks, j.base, j.M0, j.M1, j.N, j.K, j.a, j.ar, j.ak, j.b, j.ldb, j.c, j.ldc, j.acc);
    pthread_mutex_lock(&lock);
    pending = 0;
    pthread_cond_signal(&done);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

/** False when no pack buffers could be had (the caller throws). */
static int gemm(uint8_t *base, int M, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc) {
  if (!packsFor(&threadPacks)) return 0;
  if ((double)M * N * K < PARALLEL_MIN || M < 2 * MC || K <= 0 || !threadsOk || pthread_mutex_trylock(&parallel) != 0) {
    gemmRows(&threadPacks, base, 0, M, N, K, a, ar, ak, b, ldb, c, ldc, acc);
    return 1;
  }
  if (!started) {
    started = 1;
    if (!packsFor(&helperPacks) || pthread_create(&helper, NULL, helperMain, NULL) != 0) threadsOk = 0;
  }
  if (!threadsOk) {
    pthread_mutex_unlock(&parallel);
    gemmRows(&threadPacks, base, 0, M, N, K, a, ar, ak, b, ldb, c, ldc, acc);
    return 1;
  }
  int half = (M / 2 + MR - 1) / MR * MR;
  pthread_mutex_lock(&lock);
  job = (Job){ base, half, M, N, K, ldb, ldc, acc, a, ar, ak, b, c };
  pending = 1;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&lock);
  gemmRows(&threadPacks, base, 0, half, N, K, a, ar, ak, b, ldb, c, ldc, acc);
  pthread_mutex_lock(&lock);
  while (pending) pthread_cond_wait(&done, &lock);
  pthread_mutex_unlock(&lock);
  pthread_mutex_unlock(&parallel);
  return 1;
}

// tanh in place: the algorithm of tanh_inplace in ../wasm/kernels.as and of
// ../fast/tanh.ts, operation for operation (build.ts compiles with
// -ffp-contract=off, so no multiply-add is fused), hence the same bits.
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

static void tanhInPlace(double *a, int n) {
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

/** The bytes of argv[0], an ArrayBuffer (a Workspace's memory); NULL after throwing. */
static uint8_t *memoryOf(napi_env env, napi_value buffer) {
  void *data;
  size_t length;
  if (napi_get_arraybuffer_info(env, buffer, &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected the workspace's ArrayBuffer");
    return NULL;
  }
  return (uint8_t *)data;
}

/** gemm(memory, args): its 11 arguments as int32 at byte offset args of that ArrayBuffer. */
static napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t at;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *base = memoryOf(env, argv[0]);
  if (!base) return NULL;
  napi_get_value_int32(env, argv[1], &at);
  const int32_t *p = (const int32_t *)(base + at);
  if (!gemm(base, p[0], p[1], p[2], (uint32_t)p[3], (uint32_t)p[4], (uint32_t)p[5], (uint32_t)p[6], p[7], (uint32_t)p[8], p[9], p[10])) {
    napi_throw_error(env, NULL, "gemm: out of memory for its pack buffers");
  }
  return NULL;
}

/** tanh(memory, args): byte offset and count as int32 at byte offset args of that ArrayBuffer. */
static napi_value Tanh(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t at;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *base = memoryOf(env, argv[0]);
  if (!base) return NULL;
  napi_get_value_int32(env, argv[1], &at);
  const int32_t *p = (const int32_t *)(base + at);
  tanhInPlace((double *)(base + (uint32_t)p[0]), p[1]);
  return NULL;
}

/** The interface version: NATIVE_VERSION in ../fast/native.ts. */
static napi_value Version(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_create_int32(env, 2, &out);
  return out;
}

static napi_value Vector(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_get_boolean(env, VECTOR, &out);
  return out;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value f;
  napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, Gemm, NULL, &f);
  napi_set_named_property(env, exports, "gemm", f);
  napi_create_function(env, "tanh", NAPI_AUTO_LENGTH, Tanh, NULL, &f);
  napi_set_named_property(env, exports, "tanh", f);
  napi_create_function(env, "version", NAPI_AUTO_LENGTH, Version, NULL, &f);
  napi_set_named_property(env, exports, "version", f);
  napi_create_function(env, "vector", NAPI_AUTO_LENGTH, Vector, NULL, &f);
  napi_set_named_property(env, exports, "vector", f);
  return exports;
}
