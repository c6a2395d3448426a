// A transpose in cache-sized blocks, for products that read a matrix's
// transpose row by row (the Workspace's transpose, and recur's copy of Wᵀ),
// in float64 and float32.

#include "kernels.h"

/** out[cols × rows] = B[rows × cols]ᵀ, B with row stride ldb, in 8 × 8 blocks (each a cache line of out per column; larger blocks collide in L1's sets at power-of-two strides). */
#define TRANSPOSE_BLOCKED(name, REAL)                                                                  \
  void name(int rows, int cols, const REAL *B, size_t ldb, REAL *out) {                                \
    for (int j0 = 0; j0 < cols; j0 += 8) {                                                             \
      int j1 = j0 + 8 < cols ? j0 + 8 : cols;                                                          \
      for (int i0 = 0; i0 < rows; i0 += 8) {                                                           \
        int i1 = i0 + 8 < rows ? i0 + 8 : rows;                                                        \
        for (int j = j0; j < j1; j++)                                                                  \
          for (int i = i0; i < i1; i++) out[(size_t)j * rows + i] = B[(size_t)i * ldb + j];            \
      }                                                                                                \
    }                                                                                                  \
  }

TRANSPOSE_BLOCKED(transposeBlocked, double)
TRANSPOSE_BLOCKED(transposeBlocked32, float)
