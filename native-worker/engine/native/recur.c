// BPTT's recurrences, all T steps in one call (../fast/bptt-fast.ts), in
// float64 or float32 (r->single; each chunk's work is recur-body.h's):
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

#define REAL double
#define NAME(x) x##64
#define GEMM_ROWS gemmRows64
#define TANH tanhInPlace
#define EXP exp
#define TRANSPOSE transposeBlocked
#include "recur-body.h"
#undef REAL
#undef NAME
#undef GEMM_ROWS
#undef TANH
#undef EXP
#undef TRANSPOSE
#define REAL float
#define NAME(x) x##32
#define GEMM_ROWS gemmRows32
#define TANH tanhInPlace32
#define EXP expf
#define TRANSPOSE transposeBlocked32
#include "recur-body.h"

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

/** Chunk c of stage i: of the copy of M (i = 0), else of step t. */
static void step(const Packs *pk, const Recur *r, int i, int t, int c) {
  if (r->single) i == 0 ? packChunk32(r, c) : recurChunk32(pk, r, t, c);
  else i == 0 ? packChunk64(r, c) : recurChunk64(pk, r, t, c);
}

/** Thread `id` through the copy of M (i = 0) and all T steps (i = 1 … T): alone (threads = 1) every chunk in order, else with the other thread. */
void recurRun(const Packs *pk, const Recur *r, int id, int threads) {
  int chunks = (r->d + RECUR_CHUNK - 1) / RECUR_CHUNK;
  for (int i = 0; i <= r->T; i++) {
    int t = r->mode == 0 ? i - 1 : r->T - i;
    if (threads == 1) {
      for (int c = 0; c < chunks; c++) step(pk, r, i, t, c);
      continue;
    }
    // each thread copies the chunks it is likely to compute, into its own cache
    int c, mine = 0;
    while ((c = claim(i, id, chunks)) >= 0) {
      step(pk, r, i, t, c);
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

/** The chunked copy of M, per JavaScript thread, kept between calls and grown when needed (its size in bytes). */
static _Thread_local void *chunked = NULL;
static _Thread_local size_t chunkedSize = 0;

/** False when no pack buffers could be had (the caller throws). */
int recur(Recur *r) {
  if (!packsFor(&threadPacks)) return 0;
  size_t need = (size_t)((r->d + RECUR_CHUNK - 1) / RECUR_CHUNK) * r->d * RECUR_CHUNK * (r->single ? sizeof(float) : sizeof(double));
  if (need > chunkedSize) {
    free(chunked);
    chunked = aligned_alloc(64, need);
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
