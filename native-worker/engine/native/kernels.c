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
// Also tanh in place, with the same bits as the WebAssembly and TypeScript ones,
// recur: BPTT's whole step-by-step recurrence (see Recur below), a
// cache-blocked transpose, and for the trainer, on any Float64Arrays rather
// than a workspace's memory: the per-step sums (sums) and plain SGD's update (sgd).

#include <math.h>
#include <node_api.h>
// What version() reports: NATIVE_VERSION in ../fast/native.ts, raised with every change to this interface.
#define INTERFACE_VERSION 7
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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

/** One turn of a spin-wait loop. */
static void relax(void) {
#if VECTOR
  _mm_pause();
#endif
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

static void tanhInPlace(double *a, int n);
static void transposeBlocked(int rows, int cols, const double *B, size_t ldb, double *out);

// BPTT's recurrences, all T steps in one call (../fast/bptt-fast.ts):
//   mode 0, t = 0 … T−1:   S^{t+1} += S^t · Wᵀ, then S^{t+1} = f(S^{t+1})
//   mode 1, t = T−1 … 0:   DZ^t += DZ^{t+1} · W (not for t = T−1, nor where
//                          (t+1) is a multiple of trunc > 0), then DZ^t ⊙= f'
//                          written through S^{t+1} = f(z)
// with S^t, DZ^t the B × d blocks at s, dz and W (d × d) at w, all byte offsets;
// M below is the right-hand matrix, Wᵀ or W. f is the activation `act`
// (ACT_TANH …), each as ../fast/elementwise.ts computes it: tanh with the
// same bits (tanhInPlace), the others with the same operations (sigmoid's
// exp is the C library's, within an ulp of JavaScript's Math.exp).
#define ACT_TANH 0
#define ACT_RELU 1
#define ACT_SIGMOID 2
#define ACT_IDENTITY 3
// Each step's columns are cut into fixed chunks of RECUR_CHUNK, each computed
// as its own product with the same operations whichever thread runs it, so
// the result never depends on the threads. With two threads, the caller takes
// chunks from the left and the helper from the right until they meet: each
// keeps about the same half of M from step to step (in its own core's cache),
// and when one is held up (the machine is shared) the other does the rest.
#define RECUR_CHUNK 32

typedef struct {
  uint8_t *base;
  int mode, T, B, d, trunc, act;
  size_t s, dz, w;
  /** M copied chunk by chunk: chunk c, columns [j0, j0 + N) of M, is the d × N block at pm + c·d·RECUR_CHUNK, read in one stream. */
  double *pm;
} Recur;

/** Chunk c (columns [c·RECUR_CHUNK, …)) of step t. */
static void recurChunk(const Packs *pk, const Recur *r, int t, int c) {
  int d = r->d, B = r->B, j0 = c * RECUR_CHUNK, j1 = j0 + RECUR_CHUNK < d ? j0 + RECUR_CHUNK : d, N = j1 - j0;
  size_t Bd8 = (size_t)B * d * 8, col = (size_t)j0 * 8, ld = (size_t)d * 8;
  // gemmRows takes byte offsets from base: that of the chunk's copy, modulo 2⁶⁴
  size_t m = (size_t)((uintptr_t)(r->pm + (size_t)c * d * RECUR_CHUNK) - (uintptr_t)r->base);
  if (r->mode == 0) {
    size_t dst = r->s + (size_t)(t + 1) * Bd8;
    gemmRows(pk, r->base, 0, B, N, d, dst - Bd8, ld, 8, m, N, dst + col, d, 1);
    double *S = (double *)(r->base + dst);
    for (int b = 0; b < B; b++) {
      double *z = S + (size_t)b * d + j0;
      switch (r->act) {
        case ACT_TANH: tanhInPlace(z, N); break;
        case ACT_RELU: for (int j = 0; j < N; j++) if (!(z[j] > 0)) z[j] = 0; break;
        case ACT_SIGMOID: for (int j = 0; j < N; j++) z[j] = 1 / (1 + exp(-z[j])); break;
        default: break;
      }
    }
  } else {
    size_t dst = r->dz + (size_t)t * Bd8;
    int cut = r->trunc > 0 && (t + 1) % r->trunc == 0;
    if (t < r->T - 1 && !cut) gemmRows(pk, r->base, 0, B, N, d, dst + Bd8, ld, 8, m, N, dst + col, d, 1);
    double *G = (double *)(r->base + dst);
    const double *S = (const double *)(r->base + r->s + (size_t)(t + 1) * Bd8);
    for (int b = 0; b < B; b++) {
      double *g = G + (size_t)b * d;
      const double *v = S + (size_t)b * d;
      switch (r->act) {
        case ACT_TANH: for (int j = j0; j < j1; j++) g[j] *= 1 - v[j] * v[j]; break;
        case ACT_RELU: for (int j = j0; j < j1; j++) if (!(v[j] > 0)) g[j] = 0; break;
        case ACT_SIGMOID: for (int j = j0; j < j1; j++) g[j] *= v[j] * (1 - v[j]); break;
        default: break;
      }
    }
  }
}

/** The shared claims of a two-thread recur: bits 40… the step index + 1, bits 20…39 the next chunk from the left, 0…19 one past the next from the right. */
static _Atomic uint64_t claims;
/** Chunks finished, counted over all steps of the current recur. */
static _Atomic int64_t finished;

#define CLAIM(step, lo, hi) (((uint64_t)(step) + 1) << 40 | (uint64_t)(lo) << 20 | (uint64_t)(hi))

/** The next chunk of step i for thread id (0 from the left, 1 from the right), or −1 when none is left. */
static int claim(int i, int id, int chunks) {
  uint64_t cur = atomic_load(&claims);
  for (;;) {
    if ((cur >> 40) != (uint64_t)i + 1) {
      if ((cur >> 40) > (uint64_t)i + 1) return -1;
      // the first thread to reach step i opens it (the step before is finished by then)
      if (atomic_compare_exchange_weak(&claims, &cur, CLAIM(i, 0, chunks))) cur = CLAIM(i, 0, chunks);
      continue;
    }
    int lo = (int)(cur >> 20 & 0xfffff), hi = (int)(cur & 0xfffff);
    if (lo >= hi) return -1;
    uint64_t next = id == 0 ? CLAIM(i, lo + 1, hi) : CLAIM(i, lo, hi - 1);
    if (atomic_compare_exchange_weak(&claims, &cur, next)) return id == 0 ? lo : hi - 1;
  }
}

/** Chunk c of the copy of M: columns [j0, j0 + n) of Wᵀ are rows [j0, j0 + n) of W, transposed. */
static void packChunk(const Recur *r, int c) {
  int d = r->d, j0 = c * RECUR_CHUNK, n = d - j0 < RECUR_CHUNK ? d - j0 : RECUR_CHUNK;
  const double *W = (const double *)(r->base + r->w);
  double *dst = r->pm + (size_t)c * d * RECUR_CHUNK;
  if (r->mode == 0) transposeBlocked(n, d, W + (size_t)j0 * d, d, dst);
  else for (int k = 0; k < d; k++) memcpy(dst + (size_t)k * n, W + (size_t)k * d + j0, sizeof(double) * n);
}

/** Thread `id` through the copy of M (i = 0) and all T steps (i = 1 … T): alone (threads = 1) every chunk in order, else with the other thread. */
static void recurRun(const Packs *pk, const Recur *r, int id, int threads) {
  int chunks = (r->d + RECUR_CHUNK - 1) / RECUR_CHUNK;
  for (int i = 0; i <= r->T; i++) {
    int t = r->mode == 0 ? i - 1 : r->T - i;
    if (threads == 1) {
      for (int c = 0; c < chunks; c++) i == 0 ? packChunk(r, c) : recurChunk(pk, r, t, c);
      continue;
    }
    // each thread copies the chunks it is likely to compute, into its own cache
    int c, mine = 0;
    while ((c = claim(i, id, chunks)) >= 0) {
      i == 0 ? packChunk(r, c) : recurChunk(pk, r, t, c);
      mine++;
    }
    if (mine) atomic_fetch_add_explicit(&finished, mine, memory_order_release);
    // wait for the other thread's chunks of this step: spin briefly (a step takes microseconds), then yield the core
    int64_t target = (int64_t)chunks * (i + 1);
    for (int spins = 0; atomic_load_explicit(&finished, memory_order_acquire) < target; spins++) {
      relax();
      if (spins > 2000) sched_yield();
    }
  }
}

// Both cores for big products: a helper thread takes the lower half of C's
// rows, or for products with few rows the right part of its columns (each
// element is still computed by exactly one thread, in the same order, so the
// result does not depend on the split). It sleeps on a condition variable
// between products.
#define PARALLEL_MIN (1 << 21)
// A column split falls on a multiple of this: a multiple of NR (the tiles) and
// of row()'s 16-column groups, so every column is computed by the same code
// path, with the same bits, as without the split.
#define SPLIT_COLUMNS 16

typedef struct {
  uint8_t *base;
  int M0, M1, N, K, ldb, ldc, acc;
  size_t a, ar, ak, b, c;
  /** Non-null: the helper's part of this recurrence instead of a product. */
  const Recur *recur;
} Job;

static pthread_t helper;
static Packs helperPacks = { NULL, NULL };
/** Held by the one JavaScript thread using the helper; others run single-threaded meanwhile. */
static pthread_mutex_t parallel = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, done = PTHREAD_COND_INITIALIZER;
static Job job;
static int pending = 0, started = 0, threadsOk = 1;

/** Jobs handed to the helper, and finished by it, so far (read without the lock while spinning). */
static _Atomic unsigned posted = 0, completed = 0;

/**
 * Spins before sleeping: a gradient hands the helper several products and
 * recurrences microseconds apart, and waking a sleeping core (a halted
 * virtual CPU, on a virtual machine) takes longer than a short product.
 */
#define SPINS 4000

static void *helperMain(void *arg) {
  (void)arg;
  unsigned seen = 0;
  for (;;) {
    for (int spins = 0; spins < SPINS && atomic_load_explicit(&posted, memory_order_acquire) == seen; spins++) relax();
    pthread_mutex_lock(&lock);
    while (!pending) pthread_cond_wait(&wake, &lock);
    Job j = job;
    seen = atomic_load(&posted);
    pthread_mutex_unlock(&lock);
    if (j.recur) recurRun(&helperPacks, j.recur, 1, 2);
    else gemmRows(&helperPacks, j.base, j.M0, j.M1, j.N, j.K, j.a, j.ar, j.ak, j.b, j.ldb, j.c, j.ldc, j.acc);
    atomic_store_explicit(&completed, seen, memory_order_release);
    pthread_mutex_lock(&lock);
    pending = 0;
    pthread_cond_signal(&done);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

/** Starts the helper on first use; false when it cannot run. Called holding `parallel`. */
static int helperReady(void) {
  if (!started) {
    started = 1;
    if (!packsFor(&helperPacks) || pthread_create(&helper, NULL, helperMain, NULL) != 0) threadsOk = 0;
  }
  return threadsOk;
}

/** Hands the helper a job and waits for it while the calling thread runs `mine`. */
static void withHelper(Job j, void (*mine)(const void *), const void *arg) {
  pthread_mutex_lock(&lock);
  job = j;
  pending = 1;
  unsigned mineNo = atomic_fetch_add_explicit(&posted, 1, memory_order_release) + 1;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&lock);
  mine(arg);
  // the helper usually finishes within microseconds of this thread: spin before sleeping on it
  for (int spins = 0; spins < SPINS && atomic_load_explicit(&completed, memory_order_acquire) != mineNo; spins++) relax();
  pthread_mutex_lock(&lock);
  while (pending) pthread_cond_wait(&done, &lock);
  pthread_mutex_unlock(&lock);
}

static void gemmTop(const void *arg) {
  const Job *j = (const Job *)arg;
  gemmRows(&threadPacks, j->base, j->M0, j->M1, j->N, j->K, j->a, j->ar, j->ak, j->b, j->ldb, j->c, j->ldc, j->acc);
}

/** A recurrence from this many multiply-adds per step runs on both cores (the tests build with a lower one, to cross it at small sizes). */
#ifndef RECUR_PARALLEL_MIN
#define RECUR_PARALLEL_MIN (1 << 17)
#endif

static void recurMain(const void *r) {
  recurRun(&threadPacks, (const Recur *)r, 0, 2);
}

/** The chunked copy of M, per JavaScript thread, kept between calls and grown when needed. */
static _Thread_local double *chunked = NULL;
static _Thread_local size_t chunkedSize = 0;

/** False when no pack buffers could be had (the caller throws). */
static int recur(Recur *r) {
  if (!packsFor(&threadPacks)) return 0;
  size_t need = (size_t)((r->d + RECUR_CHUNK - 1) / RECUR_CHUNK) * r->d * RECUR_CHUNK;
  if (need > chunkedSize) {
    free(chunked);
    chunked = aligned_alloc(64, need * sizeof(double));
    chunkedSize = chunked ? need : 0;
    if (!chunked) return 0;
  }
  r->pm = chunked;
  if ((double)r->B * r->d * r->d < RECUR_PARALLEL_MIN || r->T < 2 || !threadsOk || pthread_mutex_trylock(&parallel) != 0) {
    recurRun(&threadPacks, r, 0, 1);
    return 1;
  }
  if (!helperReady()) {
    pthread_mutex_unlock(&parallel);
    recurRun(&threadPacks, r, 0, 1);
    return 1;
  }
  atomic_store(&claims, 0);
  atomic_store(&finished, 0);
  withHelper((Job){ .recur = r }, recurMain, r);
  pthread_mutex_unlock(&parallel);
  return 1;
}

/** False when no pack buffers could be had (the caller throws). */
static int gemm(uint8_t *base, int M, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc) {
  if (!packsFor(&threadPacks)) return 0;
  int byRows = M >= 2 * MC, byColumns = !byRows && N >= 2 * SPLIT_COLUMNS;
  if ((double)M * N * K < PARALLEL_MIN || !(byRows || byColumns) || K <= 0 || !threadsOk || pthread_mutex_trylock(&parallel) != 0) {
    gemmRows(&threadPacks, base, 0, M, N, K, a, ar, ak, b, ldb, c, ldc, acc);
    return 1;
  }
  if (!helperReady()) {
    pthread_mutex_unlock(&parallel);
    gemmRows(&threadPacks, base, 0, M, N, K, a, ar, ak, b, ldb, c, ldc, acc);
    return 1;
  }
  if (byRows) {
    int half = (M / 2 + MR - 1) / MR * MR;
    Job top = { base, 0, half, N, K, ldb, ldc, acc, a, ar, ak, b, c, NULL };
    withHelper((Job){ base, half, M, N, K, ldb, ldc, acc, a, ar, ak, b, c, NULL }, gemmTop, &top);
  } else {
    // few rows (a short sequence): the helper takes the right part of C's columns
    int half = (N / 2 + SPLIT_COLUMNS - 1) / SPLIT_COLUMNS * SPLIT_COLUMNS;
    Job left = { base, 0, M, half, K, ldb, ldc, acc, a, ar, ak, b, c, NULL };
    size_t right = (size_t)half * sizeof(double);
    withHelper((Job){ base, 0, M, N - half, K, ldb, ldc, acc, a, ar, ak, b + right, c + right, NULL }, gemmTop, &left);
  }
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

/** out[cols × rows] = B[rows × cols]ᵀ, B with row stride ldb, in 8 × 8 blocks (each a cache line of out per column; larger blocks collide in L1's sets at power-of-two strides). */
static void transposeBlocked(int rows, int cols, const double *B, size_t ldb, double *out) {
  for (int j0 = 0; j0 < cols; j0 += 8) {
    int j1 = j0 + 8 < cols ? j0 + 8 : cols;
    for (int i0 = 0; i0 < rows; i0 += 8) {
      int i1 = i0 + 8 < rows ? i0 + 8 : rows;
      for (int j = j0; j < j1; j++)
        for (int i = i0; i < i1; i++) out[(size_t)j * rows + i] = B[(size_t)i * ldb + j];
    }
  }
}

/**
 * Every entry point is called as f(memory, args): memory a Workspace's
 * ArrayBuffer, args the byte offset in it of the call's int32 arguments.
 * Sets *base to the memory and returns the arguments; NULL after throwing.
 */
static const int32_t *callArgs(napi_env env, napi_callback_info info, uint8_t **base) {
  size_t argc = 2;
  napi_value argv[2];
  void *data;
  size_t length;
  int32_t at;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected the workspace's ArrayBuffer");
    return NULL;
  }
  napi_get_value_int32(env, argv[1], &at);
  *base = (uint8_t *)data;
  return (const int32_t *)(*base + at);
}

/** gemm(memory, args): its 11 arguments as int32 at byte offset args of that ArrayBuffer. */
static napi_value Gemm(napi_env env, napi_callback_info info) {
  uint8_t *base;
  const int32_t *p = callArgs(env, info, &base);
  if (!p) return NULL;
  if (!gemm(base, p[0], p[1], p[2], (uint32_t)p[3], (uint32_t)p[4], (uint32_t)p[5], (uint32_t)p[6], p[7], (uint32_t)p[8], p[9], p[10])) {
    napi_throw_error(env, NULL, "gemm: out of memory for its pack buffers");
  }
  return NULL;
}

/** tanh(memory, args): byte offset and count as int32 at byte offset args of that ArrayBuffer. */
static napi_value Tanh(napi_env env, napi_callback_info info) {
  uint8_t *base;
  const int32_t *p = callArgs(env, info, &base);
  if (!p) return NULL;
  tanhInPlace((double *)(base + (uint32_t)p[0]), p[1]);
  return NULL;
}

/** recur(memory, args): mode, T, B, d, s, dz, w, trunc, act as int32 at byte offset args (see Recur). */
static napi_value RecurFn(napi_env env, napi_callback_info info) {
  uint8_t *base;
  const int32_t *p = callArgs(env, info, &base);
  if (!p) return NULL;
  int d = p[3];
  Recur r = { base, p[0], p[1], p[2], d, p[7], p[8], (uint32_t)p[4], (uint32_t)p[5], (uint32_t)p[6], NULL };
  if (r.act < ACT_TANH || r.act > ACT_IDENTITY) napi_throw_range_error(env, NULL, "recur: unknown activation");
  else if (r.T > 0 && r.B > 0 && d > 0 && !recur(&r)) napi_throw_error(env, NULL, "recur: out of memory for its pack buffers");
  return NULL;
}

/** transpose(memory, args): rows, cols, b, ldb, out (byte offsets b and out) as int32 at byte offset args. */
static napi_value Transpose(napi_env env, napi_callback_info info) {
  uint8_t *base;
  const int32_t *p = callArgs(env, info, &base);
  if (!p) return NULL;
  transposeBlocked(p[0], p[1], (const double *)(base + (uint32_t)p[2]), (size_t)p[3], (double *)(base + (uint32_t)p[4]));
  return NULL;
}

/**
 * The trainer's per-step sums over [from, to) of three float64 arrays g, p, q:
 * out[0..3] = Σ g², Σ p², Σ (p − q)², Σ q² (gradient, weights, update and
 * previous weights of one matrix). Vector lanes are summed at the end, so the
 * result differs from a running sum in the last bits; it is the same on every
 * call.
 */
static void sums4(const double *g, const double *p, const double *q, size_t n, double out[4]) {
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

/** A Float64Array argument's data and length; NULL after throwing when it is not one. */
static double *float64Arg(napi_env env, napi_value v, size_t *length) {
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) != napi_ok || type != napi_float64_array) {
    napi_throw_type_error(env, NULL, "expected Float64Arrays");
    return NULL;
  }
  return (double *)data;
}

/** p[i] −= lr · g[i]: a product then a difference, as in JavaScript (no fused multiply-add), so the same bits. */
static void sgdStep(double *p, const double *g, double lr, size_t n) {
  size_t i = 0;
#if VECTOR
  __m256d r = _mm256_set1_pd(lr);
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(p + i, _mm256_sub_pd(_mm256_loadu_pd(p + i), _mm256_mul_pd(r, _mm256_loadu_pd(g + i))));
#endif
  for (; i < n; i++) p[i] -= lr * g[i];
}

/** sgd(p, g, lr): p −= lr·g over the whole of two Float64Arrays of one length. */
static napi_value Sgd(napi_env env, napi_callback_info info) {
  size_t argc = 3, np, ng;
  napi_value argv[3];
  double lr;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "sgd: expected 3 arguments");
    return NULL;
  }
  double *p = float64Arg(env, argv[0], &np), *g = p ? float64Arg(env, argv[1], &ng) : NULL;
  if (!g) return NULL;
  if (np != ng || napi_get_value_double(env, argv[2], &lr) != napi_ok) {
    napi_throw_range_error(env, NULL, "sgd: expected two arrays of one length and a learning rate");
    return NULL;
  }
  sgdStep(p, g, lr, np);
  return NULL;
}

/** sums(g, p, q, from, to, out, at): out[at..at+3] = sums4 over [from, to) of g, p, q (any Float64Arrays). */
static napi_value Sums(napi_env env, napi_callback_info info) {
  size_t argc = 7, ng, np, nq, no;
  napi_value argv[7];
  int32_t from, to, at;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 7) {
    napi_throw_type_error(env, NULL, "sums: expected 7 arguments");
    return NULL;
  }
  double *g = float64Arg(env, argv[0], &ng), *p = g ? float64Arg(env, argv[1], &np) : NULL, *q = p ? float64Arg(env, argv[2], &nq) : NULL;
  double *out = q ? float64Arg(env, argv[5], &no) : NULL;
  if (!out) return NULL;
  napi_get_value_int32(env, argv[3], &from);
  napi_get_value_int32(env, argv[4], &to);
  napi_get_value_int32(env, argv[6], &at);
  if (from < 0 || to < from || (size_t)to > ng || (size_t)to > np || (size_t)to > nq || at < 0 || (size_t)at + 4 > no) {
    napi_throw_range_error(env, NULL, "sums: range outside the arrays");
    return NULL;
  }
  sums4(g + from, p + from, q + from, (size_t)(to - from), out + at);
  return NULL;
}

/** The interface version: NATIVE_VERSION in ../fast/native.ts. */
static napi_value Version(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_create_int32(env, INTERFACE_VERSION, &out);
  return out;
}

/** True when this CPU (and its OS) can run the AVX2 + FMA build, whatever this build was compiled for. */
static napi_value Avx2(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  int yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  int yes = 0;
#endif
  napi_get_boolean(env, yes, &out);
  return out;
}

static napi_value Vector(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_get_boolean(env, VECTOR, &out);
  return out;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  static const struct { const char *name; napi_callback fn; } api[] = {
    { "gemm", Gemm }, { "tanh", Tanh }, { "recur", RecurFn }, { "transpose", Transpose }, { "sgd", Sgd },
    { "sums", Sums }, { "version", Version }, { "avx2", Avx2 }, { "vector", Vector },
  };
  napi_property_descriptor props[sizeof api / sizeof api[0]];
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++) {
    props[i] = (napi_property_descriptor){ api[i].name, NULL, api[i].fn, NULL, NULL, NULL, napi_enumerable, NULL };
  }
  napi_define_properties(env, exports, sizeof api / sizeof api[0], props);
  return exports;
}
