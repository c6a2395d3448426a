// The app's size guard for lab jobs, from sizes alone, and the per-unit
// saturation the hidden-state view shows.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../native-worker/config';
import { unitSaturation } from '../../../../native-worker/engine/lab/index';
import { LAB_LIMIT, labCost, labLimitMessage } from '../../../../native-worker/engine/lab/limits';
import { taskSizes } from '../../../../native-worker/tasks/sizes';

const configOf = (hidden: number, T = 100) => parseConfig({ task: { kind: 'sine', T }, model: { hidden }, method: { kind: 'bptt' } });

describe('lab job limits', () => {
  it('lets the small models through and refuses the referee where exact RTRL’s O(d⁴) grows past the limit', () => {
    expect(labLimitMessage(configOf(16), { kind: 'referee' })).toBeNull();
    expect(labLimitMessage(configOf(16), { kind: 'inspect' })).toBeNull();
    const big = configOf(128);
    expect(labCost(big, taskSizes(big.task), { kind: 'referee' })).toBeGreaterThan(LAB_LIMIT);
    expect(labLimitMessage(big, { kind: 'referee' })).toMatch(
      /^the referee would take about \d+ G multiply-adds here \(d = 128, T = 100\)/,
    );
    // the cost grows with the sequence too
    const short = configOf(128, 10);
    expect(labCost(short, taskSizes(short.task), { kind: 'referee' })).toBeLessThan(labCost(big, taskSizes(big.task), { kind: 'referee' }));
  });

  it('counts a replay’s training steps from its snapshot', () => {
    const c = configOf(32);
    const sizes = taskSizes(c.task);
    const one = labCost(c, sizes, { kind: 'replay', steps: 1 });
    const many = labCost(c, sizes, { kind: 'replay', steps: 1001 });
    expect(many - one).toBeCloseTo(1000 * (labCost(c, sizes, { kind: 'replay', steps: 2 }) - one), 0);
    const steps = Math.ceil(LAB_LIMIT / (many - one)) * 1000;
    expect(labLimitMessage(c, { kind: 'replay', steps })).toMatch(/, \d+ training steps from the snapshot\)/);
  });
});

describe('unitSaturation', () => {
  it('is, per unit, the share of s^1 … s^T with |s| > 0.99 (s^0 left out)', () => {
    // d = 2, T = 4: rows s^0 … s^4
    const states = Float64Array.from([1, 1, 0.995, 0, -0.999, 0.5, 0.2, -0.991, 0.99, 0.3]);
    expect(unitSaturation(states, 2, 4)).toEqual([0.5, 0.25]);
  });
});
