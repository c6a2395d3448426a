// The native kernels' shared header: the build's vector width, the packed
// panels every product uses, the activations' and arguments' numbers, and
// the functions one file of this folder gives another. The files:
//   addon.c      the N-API functions (argument checks and unpacking) and the module
//   gemm.c       one thread's matrix product in float64 and float32 (gemm-body.h, compiled once for each)
//   gemm-body.h  that product: packed register tiles, or row loops, for one element type
//   threads.c    the helper thread that gives big products and recurrences both cores
//   recur.c      BPTT's step-by-step recurrences, all T steps in one call, both element types
//   recur-body.h one chunk of one step of them, for one element type
//   tanh.c       tanh in place, with the bits of the WebAssembly and TypeScript ones; and in float32
//   transpose.c  a cache-blocked transpose, both element types
//   step.c       the trainer's per-step sums, plain SGD's update and the saturation count, on Float64Arrays or Float32Arrays
// Built by build.ts (every .c file here, one shared object) with the system's
// C compiler; the engine works without it.

#ifndef RNN_WORKBENCH_KERNELS_H
#define RNN_WORKBENCH_KERNELS_H

#include <stddef.h>
#include <stdint.h>
// VECTOR: AVX2 and FMA (the files that use them include <immintrin.h>, a
// large header, themselves); WIDE: AVX-512 as well.
#if defined(__AVX2__) && defined(__FMA__)
#include <emmintrin.h>
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

// float32 tiles: MR rows of twice NR columns (the same vector registers hold twice the values)
#define NR32 (2 * NR)

#define KC 256
#define MC 96

// What version() reports: NATIVE_VERSION in ../fast/native.ts, raised with every change to this interface.
#define INTERFACE_VERSION 8

/**
 * The int32 arguments of the workspace calls, in the order the Workspace
 * (../fast/workspace.ts, NATIVE_ARGS in ../fast/native.ts) writes them into
 * its argument block: byte offsets into the workspace's memory, strides in
 * elements unless named in bytes.
 */
enum GemmArg { GEMM_M, GEMM_N, GEMM_K, GEMM_A, GEMM_A_ROW_BYTES, GEMM_A_K_BYTES, GEMM_B, GEMM_LDB, GEMM_C, GEMM_LDC, GEMM_ACCUMULATE };
enum TanhArg { TANH_AT, TANH_COUNT };
enum RecurArg { RECUR_MODE, RECUR_T, RECUR_B, RECUR_D, RECUR_S, RECUR_DZ, RECUR_W, RECUR_TRUNCATION, RECUR_ACTIVATION };
enum TransposeArg { TRANSPOSE_ROWS, TRANSPOSE_COLS, TRANSPOSE_B, TRANSPOSE_LDB, TRANSPOSE_OUT };

/** The activations' numbers in recur (ACTIVATION_CODES in ../fast/native.ts). */
enum Activation { ACT_TANH, ACT_RELU, ACT_SIGMOID, ACT_IDENTITY };

/** Packed panels, one set per thread (JavaScript threads may each run a trainer), allocated on first use; sized for float64, which float32's panels (MC × KC, KC × NR32) fit. */
typedef struct {
  void *a, *b;
} Packs;
/** The calling JavaScript thread's panels. */
extern _Thread_local Packs threadPacks;
/** Allocates p's panels if not yet done; false when out of memory. */
int packsFor(Packs *p);

#define AT(base, off) (*(double *)((base) + (off)))

/** One turn of a spin-wait loop. */
static inline void relax(void) {
#if VECTOR
  _mm_pause();
#endif
}

/**
 * Rows [M0, M1) of C[M×N] (+)= Σ_k A(i, k) · B[k, j] on one thread with its
 * panels: A(i, k) at base + a + i·ar + k·ak, B and C at byte offsets b and c
 * with row strides ldb and ldc (in elements); acc: add to C. gemmRows64 on
 * float64 values, gemmRows32 on float32 values (summed in float32).
 */
void gemmRows64(const Packs *packs, uint8_t *base, int M0, int M1, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc);
void gemmRows32(const Packs *packs, uint8_t *base, int M0, int M1, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc);
/** The whole product (single: float32, else float64), on both cores when it is big; false when no pack buffers could be had. */
int gemm(int single, uint8_t *base, int M, int N, int K, size_t a, size_t ar, size_t ak, size_t b, int ldb, size_t c, int ldc, int acc);

/** One call of recur (recur.c): the recurrence, its element type, sizes and byte offsets, and the chunked copy of its right-hand matrix. */
typedef struct {
  uint8_t *base;
  int single, mode, T, B, d, trunc, act;
  size_t s, dz, w;
  /** M copied chunk by chunk: chunk c, columns [j0, j0 + N) of M, is the d × N block at pm + c·d·RECUR_CHUNK elements, read in one stream. */
  void *pm;
} Recur;
/** The recurrence, on both cores when it is big; false when no pack buffers could be had. */
int recur(Recur *r);
/** Thread id's share (0 from the left, 1 from the right) of every step, alone when threads is 1. */
void recurRun(const Packs *pk, const Recur *r, int id, int threads);

/** Takes the helper thread for one call (false when another JavaScript thread has it, or it cannot run); give it back with helperRelease. */
int helperTake(void);
void helperRelease(void);
/** Runs the recurrence as thread 0 while the helper runs it as thread 1 (the helper taken). */
void recurWithHelper(const Recur *r);

void tanhInPlace(double *a, int n);
/** tanh in float32 arithmetic, within a few float32 ulps of the exact value. */
void tanhInPlace32(float *a, int n);
/** out[cols × rows] = B[rows × cols]ᵀ, B with row stride ldb. */
void transposeBlocked(int rows, int cols, const double *B, size_t ldb, double *out);
void transposeBlocked32(int rows, int cols, const float *B, size_t ldb, float *out);
void sums4(const double *g, const double *p, const double *q, size_t n, double out[4]);
/** sums4 with float32 weights (widened to float64, the sums in float64). */
void sums4f(const double *g, const float *p, const float *q, size_t n, double out[4]);
void sgdStep(double *p, const double *g, double lr, size_t n);
/** p[i] = float32(p[i] − lr · g[i]), the difference in float64: the bits of that loop in JavaScript on a Float32Array. */
void sgdStep32(float *p, const double *g, double lr, size_t n);
/** The values of a[0..n) with |v| > threshold, or −1 when one is NaN. */
long saturated64(const double *a, size_t n, double threshold);
long saturated32(const float *a, size_t n, double threshold);

#endif
