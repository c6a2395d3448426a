// The sampler against a forward pass written out: at a temperature near 0
// it is the greedy decoder (the argmax character fed back each step), the
// same seed gives the same text, another seed or temperature another one,
// and bad options are refused naming the field.

import { describe, expect, it } from 'vitest';
import { checkSampleOptions, sampleChars } from '../../../../native-worker/engine/lab/sample';
import { makeCase, shape } from '../fixtures';

const vocabulary = ['a', 'b', 'c', 'd', 'e'];
const { layout, p } = makeCase({ name: 'sample', shape: shape(5, 7, 5, true), T: 2, B: 1, act: 'tanh' }, 4);

/** Greedy decoding written out from the model's equations. */
function greedy(first: number, length: number): string {
  const { m, d, n } = layout.shape;
  let s = new Array(d).fill(0),
    c = first,
    out = vocabulary[first];
  for (let i = 0; i < length; i++) {
    const next = [];
    for (let r = 0; r < d; r++) {
      let z = p[layout.U + r * m + c] + p[layout.b + r];
      for (let j = 0; j < d; j++) z += p[layout.W + r * d + j] * s[j];
      next.push(Math.tanh(z));
    }
    s = next;
    const y = Array.from({ length: n }, (_, k) => p[layout.c + k] + s.reduce((a, v, j) => a + p[layout.V + k * d + j] * v, 0));
    c = y.indexOf(Math.max(...y));
    out += vocabulary[c];
  }
  return out;
}

describe('sampling text from the weights', () => {
  it('is the greedy decoder at a temperature near 0', () => {
    expect(sampleChars(layout, 'tanh', p, vocabulary, 2, { length: 40, temperature: 1e-6, seed: 3 })).toBe(greedy(2, 40));
  });

  it('gives the same text for the same seed, and another for another seed or temperature', () => {
    const at = (seed: number, temperature: number) => sampleChars(layout, 'tanh', p, vocabulary, 0, { length: 60, temperature, seed });
    const a = at(1, 1.5);
    expect(a).toHaveLength(61);
    expect(a.startsWith('a')).toBe(true);
    expect(at(1, 1.5)).toBe(a);
    expect(at(2, 1.5)).not.toBe(a);
    expect(at(1, 0.05)).not.toBe(a);
  });

  it('refuses a bad length, temperature or seed, naming it', () => {
    const ok = { length: 10, temperature: 1, seed: 0 };
    expect(() => checkSampleOptions({ ...ok, length: 0 })).toThrow(/^length:/);
    expect(() => checkSampleOptions({ ...ok, temperature: 0 })).toThrow(/^temperature:/);
    expect(() => checkSampleOptions({ ...ok, seed: 1.5 })).toThrow(/^seed:/);
  });
});
