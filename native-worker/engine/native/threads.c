// The helper thread: both cores for big products and recurrences. It takes
// the lower half of a product's rows, or for products with few rows the right
// part of its columns (each element is still computed by exactly one thread,
// in the same order, so the result does not depend on the split), or its
// share of a recurrence's steps (recur.c). It sleeps on a condition variable
// between calls, after a short spin. One JavaScript thread uses it at a time;
// others run single-threaded meanwhile.

#include <pthread.h>
#include <stdatomic.h>
#include "kernels.h"

/** A product from this many multiply-adds runs on both cores. */
#ifndef PARALLEL_MIN
#define PARALLEL_MIN (1 << 21)
#endif
// A column split falls on a multiple of this: a multiple of NR and NR32 (the
// tiles) and of row()'s 16- and 32-column groups, so every column is computed
// by the same code path, with the same bits, as without the split.
#define SPLIT_COLUMNS 32

typedef struct {
  uint8_t *base;
  /** 1: a float32 product, 0: float64. */
  int single;
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
    else (j.single ? gemmRows32 : gemmRows64)(&helperPacks, j.base, j.M0, j.M1, j.N, j.K, j.a, j.ar, j.ak, j.b, j.ldb, j.c, j.ldc, j.acc);
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

int helperTake(void) {
  if (!threadsOk || pthread_mutex_trylock(&parallel) != 0) return 0;
  if (helperReady()) return 1;
  pthread_mutex_unlock(&parallel);
  return 0;
}

void helperRelease(void) {
  pthread_mutex_unlock(&parallel);
}

static void recurMain(const void *r) {
  recurRun(&threadPacks, (const Recur *)r, 0, 2);
}

void recurWithHelper(const Recur *r) {
  withHelper((Job){ .recur = r }, recurMain, r);
}

static void gemmTop(const void *arg) {
  const Job *j = (const Job *)arg;
  (j->single ? gemmRows32 : gemmRows64)(&threadPacks, j->base, j->M0, j->M1, j->N, j->K, j->a, j->ar, j->ak, j->b, j->ldb, j->c, j->ldc, j->acc);
}

/** False when no pack buffers could be had (the caller throws). */
int gemm(int single, uint8_t *base, int M, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc) {
  if (!packsFor(&threadPacks)) return 0;
  int byRows = M >= 2 * MC, byColumns = !byRows && N >= 2 * SPLIT_COLUMNS;
  if ((double)M * N * K < PARALLEL_MIN || !(byRows || byColumns) || K <= 0 || !helperTake()) {
    (single ? gemmRows32 : gemmRows64)(&threadPacks, base, 0, M, N, K, a, ar, ak, b, ldb, c, ldc, acc);
    return 1;
  }
  if (byRows) {
    int half = (M / 2 + MR - 1) / MR * MR;
    Job top = { base, single, 0, half, N, K, ldb, ldc, acc, a, ar, ak, b, c, NULL };
    withHelper((Job){ base, single, half, M, N, K, ldb, ldc, acc, a, ar, ak, b, c, NULL }, gemmTop, &top);
  } else {
    // few rows (a short sequence): the helper takes the right part of C's columns
    int half = (N / 2 + SPLIT_COLUMNS - 1) / SPLIT_COLUMNS * SPLIT_COLUMNS;
    Job left = { base, single, 0, M, half, K, ldb, ldc, acc, a, ar, ak, b, c, NULL };
    size_t right = (size_t)half * (single ? sizeof(float) : sizeof(double));
    withHelper((Job){ base, single, 0, M, N - half, K, ldb, ldc, acc, a, ar, ak, b + right, c + right, NULL }, gemmTop, &left);
  }
  helperRelease();
  return 1;
}
