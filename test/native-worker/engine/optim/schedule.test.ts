import { describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '../../../../common/contract';
import { scheduledLr } from '../../../../native-worker/engine/optim/schedule';

describe('scheduledLr', () => {
  it('constant keeps the base rate', () => {
    for (const step of [0, 1, 1000]) expect(scheduledLr(0.3, { kind: 'constant' }, step)).toBe(0.3);
  });

  it('step multiplies by factor every `every` steps', () => {
    const s: ScheduleConfig = { kind: 'step', every: 10, factor: 0.5 };
    expect(scheduledLr(0.8, s, 0)).toBe(0.8);
    expect(scheduledLr(0.8, s, 9)).toBe(0.8);
    expect(scheduledLr(0.8, s, 10)).toBe(0.4);
    expect(scheduledLr(0.8, s, 19)).toBe(0.4);
    expect(scheduledLr(0.8, s, 20)).toBe(0.2);
    expect(scheduledLr(0.8, s, 35)).toBe(0.1);
  });

  it('exponential is base·γ^step', () => {
    const s: ScheduleConfig = { kind: 'exponential', gamma: 0.9 };
    expect(scheduledLr(2, s, 0)).toBe(2);
    expect(scheduledLr(2, s, 1)).toBeCloseTo(1.8, 14);
    expect(scheduledLr(2, s, 2)).toBeCloseTo(1.62, 14);
    expect(scheduledLr(2, s, 10)).toBeCloseTo(2 * 0.3486784401, 12);
  });

  it('cosine anneals from base to minLr over period steps, then holds', () => {
    const s: ScheduleConfig = { kind: 'cosine', period: 100, minLr: 0.1 };
    // lr = minLr + ½(base − minLr)(1 + cos(π·step/period)), base = 1.1
    expect(scheduledLr(1.1, s, 0)).toBe(1.1);
    expect(scheduledLr(1.1, s, 25)).toBeCloseTo(0.1 + 0.5 * (1 + Math.SQRT1_2), 14); // cos(π/4) = √½
    expect(scheduledLr(1.1, s, 50)).toBeCloseTo(0.6, 14); // cos(π/2) = 0: the midpoint
    expect(scheduledLr(1.1, s, 75)).toBeCloseTo(0.1 + 0.5 * (1 - Math.SQRT1_2), 14);
    expect(scheduledLr(1.1, s, 100)).toBe(0.1);
    expect(scheduledLr(1.1, s, 101)).toBe(0.1);
    expect(scheduledLr(1.1, s, 5000)).toBe(0.1);
  });

  it('cosine falls monotonically', () => {
    const s: ScheduleConfig = { kind: 'cosine', period: 30, minLr: 0 };
    for (let step = 1; step <= 30; step++) expect(scheduledLr(1, s, step)).toBeLessThan(scheduledLr(1, s, step - 1));
  });

  it('rejects bad input, naming the field', () => {
    expect(() => scheduledLr(0.1, { kind: 'constant' }, -1)).toThrow(/schedule step must be a non-negative integer, got -1/);
    expect(() => scheduledLr(0.1, { kind: 'constant' }, 1.5)).toThrow(/schedule step/);
    expect(() => scheduledLr(Number.NaN, { kind: 'constant' }, 0)).toThrow(/lr must be a finite number ≥ 0/);
    expect(() => scheduledLr(0.1, { kind: 'step', every: 0, factor: 0.5 }, 3)).toThrow(/schedule\.every must be a positive integer, got 0/);
    expect(() => scheduledLr(0.1, { kind: 'step', every: 5, factor: -1 }, 3)).toThrow(/schedule\.factor must be a finite number > 0/);
    expect(() => scheduledLr(0.1, { kind: 'exponential', gamma: 0 }, 3)).toThrow(/schedule\.gamma/);
    expect(() => scheduledLr(0.1, { kind: 'cosine', period: 2.5, minLr: 0 }, 3)).toThrow(/schedule\.period must be a positive integer/);
    expect(() => scheduledLr(0.1, { kind: 'cosine', period: 10, minLr: -1 }, 3)).toThrow(/schedule\.minLr must be a finite number ≥ 0/);
    expect(() => scheduledLr(0.1, { kind: 'warmup' } as unknown as ScheduleConfig, 3)).toThrow(
      /schedule\.kind must be one of constant, step, exponential, cosine; got "warmup"/,
    );
  });
});
