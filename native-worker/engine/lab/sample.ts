// Text generated from a text run's weights: start from s^0 = 0 with the
// probe's first character, then at every step draw the next character from
// softmax(y^t / temperature) and read it as the next input. Seeded: the
// same weights, seed, length and temperature give the same text.

import type { Activation, RunConfig } from '../../../common/contract';
import { recur } from '../forward';
import type { Layout } from '../params';
import { Rng } from '../prng';

export interface SampleOptions {
  /** Characters to generate after the first. */
  length: number;
  /** > 0; below 1 sharpens the distribution, above 1 flattens it. */
  temperature: number;
  seed: number;
}

/** The options checked, each bad one named. */
export function checkSampleOptions(o: SampleOptions): SampleOptions {
  if (!Number.isInteger(o.length) || o.length < 1 || o.length > 100_000) {
    throw new RangeError(`length: must be a whole number from 1 to 100000, got ${o.length}`);
  }
  if (!(o.temperature > 0) || o.temperature > 100)
    throw new RangeError(`temperature: must be above 0 and at most 100, got ${o.temperature}`);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new RangeError(`seed: must be a non-negative whole number, got ${o.seed}`);
  return o;
}

/** `first` then `length` characters drawn from the model at weights p (float64, the layout's order); m = n = vocabulary.length. */
export function sampleChars(
  layout: Layout,
  act: Activation,
  p: Float64Array,
  vocabulary: readonly string[],
  first: number,
  o: SampleOptions,
): string {
  const { m, d, n } = layout.shape;
  if (m !== vocabulary.length || n !== vocabulary.length)
    throw new RangeError('sampling needs one-hot inputs and outputs over the vocabulary');
  const rng = new Rng(o.seed);
  let s = new Float64Array(d),
    z = new Float64Array(d);
  const prob = new Float64Array(n);
  let c = first,
    out = vocabulary[first];
  for (let i = 0; i < o.length; i++) {
    // z = U x (x one-hot at c) + b, then z += W s, s = f(z)
    for (let r = 0; r < d; r++) z[r] = p[layout.U + r * m + c] + (layout.b >= 0 ? p[layout.b + r] : 0);
    recur(layout, act, p, 1, s, 0, z, 0);
    [s, z] = [z, s];
    let max = -Infinity;
    for (let k = 0; k < n; k++) {
      let y = layout.c >= 0 ? p[layout.c + k] : 0;
      for (let j = 0; j < d; j++) y += p[layout.V + k * d + j] * s[j];
      prob[k] = y / o.temperature;
      if (prob[k] > max) max = prob[k];
    }
    let total = 0;
    for (let k = 0; k < n; k++) total += prob[k] = Math.exp(prob[k] - max);
    let u = rng.uniform() * total;
    c = n - 1;
    for (let k = 0; k < n; k++) {
      u -= prob[k];
      if (u < 0) {
        c = k;
        break;
      }
    }
    out += vocabulary[c];
  }
  return out;
}

/** What `sample` needs of a run: its config says text, and a cross-entropy loss. */
export function sampleableError(config: RunConfig): string | null {
  if (config.task.kind !== 'text') return `sampling generates text: run's task is ${config.task.kind}, not text`;
  return null;
}
