// One chunk of one step of BPTT's recurrences (recur.c), and the chunk's
// copy of the right-hand matrix, for one element type: included by recur.c
// once for float64 and once for float32, which define first REAL, NAME(x)
// (x with the type's suffix), GEMM_ROWS, TANH, EXP and TRANSPOSE (the type's
// product, tanh, exp and transpose).

/** Chunk c (columns [c·RECUR_CHUNK, …)) of step t. */
static void NAME(recurChunk)(const Packs *pk, const Recur *r, int t, int c) {
  int d = r->d, B = r->B, j0 = c * RECUR_CHUNK, j1 = j0 + RECUR_CHUNK < d ? j0 + RECUR_CHUNK : d, N = j1 - j0;
  size_t w = sizeof(REAL), Bdw = (size_t)B * d * w, col = (size_t)j0 * w, ld = (size_t)d * w;
  // gemmRows takes byte offsets from base: that of the chunk's copy, modulo 2⁶⁴
  size_t m = (size_t)((uintptr_t)((REAL *)r->pm + (size_t)c * d * RECUR_CHUNK) - (uintptr_t)r->base);
  if (r->mode == 0) {
    size_t dst = r->s + (size_t)(t + 1) * Bdw;
    GEMM_ROWS(pk, r->base, 0, B, N, d, dst - Bdw, ld, w, m, N, dst + col, d, 1);
    REAL *S = (REAL *)(r->base + dst);
    for (int b = 0; b < B; b++) {
      REAL *z = S + (size_t)b * d + j0;
      switch (r->act) {
        case ACT_TANH: TANH(z, N); break;
        case ACT_RELU: for (int j = 0; j < N; j++) if (!(z[j] > 0)) z[j] = 0; break;
        case ACT_SIGMOID: for (int j = 0; j < N; j++) z[j] = 1 / (1 + EXP(-z[j])); break;
        default: break;
      }
    }
  } else {
    size_t dst = r->dz + (size_t)t * Bdw;
    int cut = r->trunc > 0 && (t + 1) % r->trunc == 0;
    if (t < r->T - 1 && !cut) GEMM_ROWS(pk, r->base, 0, B, N, d, dst + Bdw, ld, w, m, N, dst + col, d, 1);
    REAL *G = (REAL *)(r->base + dst);
    const REAL *S = (const REAL *)(r->base + r->s + (size_t)(t + 1) * Bdw);
    for (int b = 0; b < B; b++) {
      REAL *g = G + (size_t)b * d;
      const REAL *v = S + (size_t)b * d;
      switch (r->act) {
        case ACT_TANH: for (int j = j0; j < j1; j++) g[j] *= 1 - v[j] * v[j]; break;
        case ACT_RELU: for (int j = j0; j < j1; j++) if (!(v[j] > 0)) g[j] = 0; break;
        case ACT_SIGMOID: for (int j = j0; j < j1; j++) g[j] *= v[j] * (1 - v[j]); break;
        default: break;
      }
    }
  }
}

/** Chunk c of the copy of M: columns [j0, j0 + n) of Wᵀ are rows [j0, j0 + n) of W, transposed. */
static void NAME(packChunk)(const Recur *r, int c) {
  int d = r->d, j0 = c * RECUR_CHUNK, n = d - j0 < RECUR_CHUNK ? d - j0 : RECUR_CHUNK;
  const REAL *W = (const REAL *)(r->base + r->w);
  REAL *dst = (REAL *)r->pm + (size_t)c * d * RECUR_CHUNK;
  if (r->mode == 0) TRANSPOSE(n, d, W + (size_t)j0 * d, d, dst);
  else for (int k = 0; k < d; k++) memcpy(dst + (size_t)k * n, W + (size_t)k * d + j0, sizeof(REAL) * n);
}
