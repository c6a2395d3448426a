// Gradient clipping, in place: first each component to [−clipValue,
// clipValue], then the whole vector scaled so that its L2 norm is at most
// clipNorm (Pascanu, Mikolov & Bengio 2013). A gradient holding NaN or ±∞ is
// left for the caller to see in normBefore (a diverged step); one whose
// squares merely overflow float64 is still measured and scaled correctly.

export interface ClipResult {
  /** Global L2 norm of the gradient before any clipping. */
  normBefore: number;
  /** True when clipping changed the gradient (a component clamped or the vector rescaled). */
  scaled: boolean;
}

export function clipGradients(grads: Float64Array, clipNorm: number | null, clipValue: number | null): ClipResult {
  if (clipNorm !== null && !(Number.isFinite(clipNorm) && clipNorm > 0)) {
    throw new RangeError(`training.clipNorm must be null or a finite number > 0, got ${clipNorm}`);
  }
  if (clipValue !== null && !(Number.isFinite(clipValue) && clipValue > 0)) {
    throw new RangeError(`training.clipValue must be null or a finite number > 0, got ${clipValue}`);
  }
  const normBefore = l2Norm(grads);
  let norm = normBefore;
  let clamped = false;
  if (clipValue !== null) {
    const n = grads.length;
    for (let i = 0; i < n; i++) {
      const g = grads[i];
      if (g > clipValue) {
        grads[i] = clipValue;
        clamped = true;
      } else if (g < -clipValue) {
        grads[i] = -clipValue;
        clamped = true;
      }
    }
    if (clamped) norm = l2Norm(grads);
  }
  let rescaled = false;
  if (clipNorm !== null && norm > clipNorm && Number.isFinite(norm)) {
    const scale = clipNorm / norm;
    const n = grads.length;
    for (let i = 0; i < n; i++) grads[i] *= scale;
    rescaled = true;
  }
  return { normBefore, scaled: clamped || rescaled };
}

/** ‖g‖₂; when the sum of squares overflows, ‖g‖ = max|g| · ‖g / max|g|‖ instead. */
function l2Norm(g: Float64Array): number {
  const n = g.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += g[i] * g[i];
  if (sum !== Infinity) return Math.sqrt(sum);
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(g[i]));
  if (max === Infinity) return Infinity;
  let scaled = 0;
  for (let i = 0; i < n; i++) {
    const r = g[i] / max;
    scaled += r * r;
  }
  return max * Math.sqrt(scaled);
}
