// BPTT's recurrences, all T steps in one call (../fast/bptt-fast.ts):
//   mode 0, t = 0 … T−1:   S^{t+1} += S^t · Wᵀ, then S^{t+1} = f(S^{t+1})
//   mode 1, t = T−1 … 0:   DZ^t += DZ^{t+1} · W (not for t = T−1, nor where
//                          (t+1) is a multiple of trunc > 0), then DZ^t ⊙= f'
//                          written through S^{t+1} = f(z)
// with S^t, DZ^t the B × d blocks at s, dz and W (d × d) at w, all byte offsets;
// M below is the right-hand matrix, Wᵀ or W. f is the activation `act`
// (enum Activation), each as ../fast/elementwise.ts computes it: tanh with the
// same bits (tanhInPlace), the others with the same operations (sigmoid's
// exp is the C library's, within an ulp of JavaScript's Math.exp).
// Each step's columns are cut into fixed chunks of RECUR_CHUNK, each computed
// as its own product with the same operations whichever thread runs it, so
// the result never depends on the threads. With two threads, the caller takes
// chunks from the left and the helper from the right until they meet: each
// keeps about the same half of M from step to step (in its own core's cache),
// and when one is held up (the machine is shared) the other does the rest.

#include <math.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

#define RECUR_CHUNK 32

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
void recurRun(const Packs *pk, const Recur *r, int id, int threads) {
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

/** A recurrence from this many multiply-adds per step runs on both cores (the tests build with a lower one, to cross it at small sizes). */
#ifndef RECUR_PARALLEL_MIN
#define RECUR_PARALLEL_MIN (1 << 17)
#endif

/** The chunked copy of M, per JavaScript thread, kept between calls and grown when needed. */
static _Thread_local double *chunked = NULL;
static _Thread_local size_t chunkedSize = 0;

/** False when no pack buffers could be had (the caller throws). */
int recur(Recur *r) {
  if (!packsFor(&threadPacks)) return 0;
  size_t need = (size_t)((r->d + RECUR_CHUNK - 1) / RECUR_CHUNK) * r->d * RECUR_CHUNK;
  if (need > chunkedSize) {
    free(chunked);
    chunked = aligned_alloc(64, need * sizeof(double));
    chunkedSize = chunked ? need : 0;
    if (!chunked) return 0;
  }
  r->pm = chunked;
  if ((double)r->B * r->d * r->d < RECUR_PARALLEL_MIN || r->T < 2 || !helperTake()) {
    recurRun(&threadPacks, r, 0, 1);
    return 1;
  }
  atomic_store(&claims, 0);
  atomic_store(&finished, 0);
  recurWithHelper(r);
  helperRelease();
  return 1;
}
