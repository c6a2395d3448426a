// The referee on seeded cases: exact RTRL and BPTT agree to rounding and
// both match central differences; truncated BPTT with a short window
// measurably disagrees on a task whose targets depend on inputs far back.

import { describe, expect, it } from 'vitest';
import type { PerMatrix } from '../../../../common/contract';
import { parseConfig } from '../../../../native-worker/config';
import { newBatch, putSequence } from '../../../../native-worker/engine/batch';
import { referee } from '../../../../native-worker/engine/lab/referee';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { initParams, layoutOf } from '../../../../native-worker/engine/params';
import { Rng } from '../../../../native-worker/engine/prng';
import { createTask } from '../../../../native-worker/tasks';
import { makeCase, shape, type Case } from '../fixtures';

const values = (r: PerMatrix) => Object.values(r) as number[];
const pair = (report: ReturnType<typeof referee>, a: string, b: string) => report.pairs.find((p) => p.a === a && p.b === b)!;

describe('the gradient referee', () => {
  const cases: Case[] = [
    { name: 'tanh', shape: shape(3, 5, 2), T: 9, B: 2, act: 'tanh' },
    { name: 'tanh with biases, masked', shape: shape(2, 4, 3, true), T: 12, B: 3, act: 'tanh', masked: true },
    { name: 'sigmoid, cross-entropy', shape: shape(3, 4, 3, true), T: 7, B: 2, act: 'sigmoid', onehot: true },
    { name: 'identity', shape: shape(2, 3, 2), T: 6, B: 1, act: 'identity' },
  ];
  for (const c of cases) {
    it(`RTRL vs BPTT ≤ 1e-10, either vs central differences ≤ 1e-6 (${c.name})`, () => {
      const { layout, p, batch } = makeCase(c, 61);
      const r = referee(layout, c.act, p, batch, lossSpec(c.onehot ? { kind: 'xent' } : { kind: 'mse', scale: null }, c.shape.n), {
        ks: [1, 3, 50],
      });
      expect(r.methods.map((m) => m.name)).toEqual(['rtrl', 'bptt', 'tbptt(1)', 'tbptt(3)', 'finite differences']);
      for (const v of values(pair(r, 'rtrl', 'bptt').relativeError)) expect(v).toBeLessThanOrEqual(1e-10);
      for (const v of values(pair(r, 'rtrl', 'bptt').cosine)) expect(v).toBeGreaterThan(1 - 1e-12);
      for (const a of ['rtrl', 'bptt'])
        for (const v of values(pair(r, a, 'finite differences').relativeError)) expect(v).toBeLessThanOrEqual(1e-6);
      expect(r.pairs).toHaveLength((5 * 4) / 2);
      for (const m of r.methods) {
        expect(m.ms).toBeGreaterThanOrEqual(0);
        expect(m.bytes).toBeGreaterThan(0);
      }
      expect(r.checked).toEqual(Object.fromEntries(layout.blocks.map((b) => [b.name, b.size])));
    });
  }

  it('reports the methods table’s memory: RTRL’s does not grow with T, BPTT’s does', () => {
    const short = makeCase({ name: 'a', shape: shape(2, 6, 2), T: 5, B: 1, act: 'tanh' });
    const long = makeCase({ name: 'b', shape: shape(2, 6, 2), T: 50, B: 1, act: 'tanh' });
    const run = (c: typeof short) => referee(c.layout, 'tanh', c.p, c.batch, lossSpec({ kind: 'mse', scale: null }, 2), { ks: [] }).methods;
    const [a, b] = [run(short), run(long)];
    expect(b[0].bytes).toBe(a[0].bytes); // RTRL: independent of T
    expect(a[0].bytes).toBe(2 * 6 * (6 * 2 + 36) * 8);
    expect(b[1].bytes).toBeGreaterThan(5 * a[1].bytes); // BPTT: O(T·d)
  });

  it('truncated BPTT(1) disagrees measurably with the exact gradient on the adding task (T = 40); RTRL and BPTT do not', () => {
    const config = parseConfig({ seed: 4, task: { kind: 'adding', T: 40 }, model: { hidden: 8 } });
    const task = createTask(config.task, config.seed);
    const layout = layoutOf({ m: task.m, d: 8, n: task.n, hiddenBias: false, outputBias: false });
    const p = initParams(layout, 'float64', 'orthogonal', 1, new Rng(4)) as Float64Array;
    const batch = newBatch(task.T, 4, task.m, task.n, task.masked);
    task.validation.slice(0, 4).forEach((s, b) => putSequence(batch, b, s));
    const r = referee(layout, 'tanh', p, batch, lossSpec({ kind: 'mse', scale: null }, task.n), { ks: [1, 5, 20] });
    const exact = pair(r, 'rtrl', 'bptt');
    expect(exact.cosine.W!).toBeGreaterThan(1 - 1e-12);
    expect(exact.relativeError.W!).toBeLessThanOrEqual(1e-10);
    const k1 = pair(r, 'bptt', 'tbptt(1)');
    expect(k1.cosine.U!).toBeLessThan(0.95);
    expect(k1.cosine.W!).toBeLessThan(0.95);
    expect(k1.relativeError.W!).toBeGreaterThan(0.1);
    // V's gradient does not pass through time: every method gets it exactly
    expect(k1.relativeError.V).toBe(0);
    // a longer window comes closer
    expect(pair(r, 'bptt', 'tbptt(20)').cosine.W!).toBeGreaterThan(k1.cosine.W!);
  });
});
