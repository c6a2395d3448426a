// The per-step spectral-radius estimate's settings (see spectral.ts), read
// by the trainer that runs it and by the memory check that counts its
// workspace.

/** Exact only for small W, else a warm-restarted Arnoldi estimate with a short Krylov space: cheap next to a training step. */
export const SPECTRAL_PER_STEP = { exactLimit: 16, warmSteps: 10 } as const;
