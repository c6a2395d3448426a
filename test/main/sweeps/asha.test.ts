// ASHA's decisions against a hand-worked example (η = 3, rungs at 10, 30,
// 90 steps), and the rule that decides them (Optuna's successive halving).

import { describe, expect, it } from 'vitest';
import { promotes, rungStep } from '../../../main/sweeps/asha';

describe('ASHA', () => {
  it('puts rung r at minSteps · η^r', () => {
    expect([0, 1, 2, 3].map((r) => rungStep(10, 3, r))).toEqual([10, 30, 90, 270]);
    expect([0, 1, 2].map((r) => rungStep(5, 2, r))).toEqual([5, 10, 20]);
  });

  it('decides a hand-worked sequence of trials arriving at one rung (η = 3)', () => {
    // Trials reach the rung one after another with these losses. With n values
    // recorded (the newcomer's included) a trial goes on if it is within the best
    // max(1, ⌊n/3⌋): n = 1, 2 → must be the best so far; n = 3..5 → the best;
    // n = 6..8 → among the best 2.
    const arrivals = [0.5, 0.7, 0.4, 0.45, 0.3, 0.42, 0.41, 0.6];
    const expected = [
      true, //  [0.5]                          best of 1
      false, // [0.5, 0.7]                     not the best
      true, //  [0.4, 0.5, 0.7]                the best
      false, // [0.4, 0.45, 0.5, 0.7]          ⌊4/3⌋ = 1: second is out
      true, //  [0.3, …]                       the best
      false, // [0.3, 0.4, 0.42, …] n = 6      ⌊6/3⌋ = 2: 0.42 is third
      false, // [0.3, 0.4, 0.41, 0.42, …] n=7  0.41 is third
      false, // n = 8                           0.6 is seventh
    ];
    const seen: number[] = [];
    const decisions = arrivals.map((v) => {
      seen.push(v);
      return promotes(v, seen, 3);
    });
    expect(decisions).toEqual(expected);
    // and the second best goes on once six values are there
    expect(promotes(0.4, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 3)).toBe(true);
  });

  it('stops a NaN value and never lets one compete', () => {
    expect(promotes(Number.NaN, [Number.NaN], 3)).toBe(false);
    expect(promotes(0.9, [Number.NaN, Number.NaN, Number.NaN, 0.9], 3)).toBe(true);
  });

  it('with η = 2 keeps the better half', () => {
    const atRung = [4, 3, 2, 1];
    expect(atRung.map((v) => promotes(v, atRung, 2))).toEqual([false, false, true, true]);
  });
});
