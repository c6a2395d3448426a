// One thread's matrix product, with the semantics of gemm in
// ../wasm/kernels.as over the same memory (a Workspace's WebAssembly memory):
//
//   C[M×N] (+)= Σ_k A(i, k) · B[k, j],  A(i, k) at a + i·ar + k·ak (bytes)
//
// in float64 (gemmRows64) and float32 (gemmRows32), both from gemm-body.h.
// x86-64 gets a packed register-tile kernel, MR × NR with AVX-512 (8 × 16
// float64, 8 × 32 float32), 4 × 8 (4 × 16) with AVX2 and FMA; anything else
// gets plain loops. Each element is one sum in k order, so splitting a
// product by rows or columns never changes its bits.

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

#if VECTOR
#define RLOAD _mm256_loadu_pd
#define RSTORE _mm256_storeu_pd
#define RZERO _mm256_setzero_pd
#define RSET1 _mm256_set1_pd
#define RFMA _mm256_fmadd_pd
#define RV __m256d
#define RL 4
#endif
#if WIDE
#define TV __m512d
#define TLOAD _mm512_loadu_pd
#define TSTORE _mm512_storeu_pd
#define TZERO _mm512_setzero_pd
#define TSET1 _mm512_set1_pd
#define TFMA _mm512_fmadd_pd
#define TADD _mm512_add_pd
#elif VECTOR
#define TV __m256d
#define TLOAD _mm256_loadu_pd
#define TSTORE _mm256_storeu_pd
#define TZERO _mm256_setzero_pd
#define TSET1 _mm256_set1_pd
#define TFMA _mm256_fmadd_pd
#define TADD _mm256_add_pd
#endif
#define REAL double
#define NAME(x) x##64
#define TNR NR
#include "gemm-body.h"
#undef RLOAD
#undef RSTORE
#undef RZERO
#undef RSET1
#undef RFMA
#undef RV
#undef RL
#undef TV
#undef TLOAD
#undef TSTORE
#undef TZERO
#undef TSET1
#undef TFMA
#undef TADD
#undef REAL
#undef NAME
#undef TNR

#if VECTOR
#define RLOAD _mm256_loadu_ps
#define RSTORE _mm256_storeu_ps
#define RZERO _mm256_setzero_ps
#define RSET1 _mm256_set1_ps
#define RFMA _mm256_fmadd_ps
#define RV __m256
#define RL 8
#endif
#if WIDE
#define TV __m512
#define TLOAD _mm512_loadu_ps
#define TSTORE _mm512_storeu_ps
#define TZERO _mm512_setzero_ps
#define TSET1 _mm512_set1_ps
#define TFMA _mm512_fmadd_ps
#define TADD _mm512_add_ps
#elif VECTOR
#define TV __m256
#define TLOAD _mm256_loadu_ps
#define TSTORE _mm256_storeu_ps
#define TZERO _mm256_setzero_ps
#define TSET1 _mm256_set1_ps
#define TFMA _mm256_fmadd_ps
#define TADD _mm256_add_ps
#endif
#define REAL float
#define NAME(x) x##32
#define TNR NR32
#include "gemm-body.h"
