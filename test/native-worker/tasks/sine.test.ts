import { describe, expect, it } from 'vitest';
import { createTask } from '../../../native-worker/tasks';
import { sineArgument, SineTask } from '../../../native-worker/tasks/sine';
import { BANK_ARGUMENTS, BANK_N, BANK_SEQUENCES, BANK_T, BANK_X, BANK_Y } from './sine-bank.fixture';
import { bytesOf, expectShape, expectTaskError, train } from './helpers';

/** The formula of numpy_reference.py's data_bank, written out independently of sine.ts. */
function S(k: number, n: number, t: number): number {
  const omega = 0.1 + (0.3 * k) / n;
  const phi = (2.0 * Math.PI * k) / n;
  return Math.sin(omega * t + phi);
}

function ulp(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -1022) return 2 ** -1074;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

describe('sine task', () => {
  const config = { kind: 'sine', channels: 4, T: 20, validationSequences: 3 } as const;

  it('has m = n = channels, real targets and no mask', () => {
    const task = createTask(config, 1);
    expect([task.kind, task.m, task.n, task.T, task.targets, task.masked, task.vocabulary]).toEqual([
      'sine',
      4,
      4,
      20,
      'real',
      false,
      null,
    ]);
    expectShape(task, train(task, 0));
    for (const v of task.validation) expectShape(task, v);
    expect(task.validation).toHaveLength(3);
  });

  it('training sequence i is S(t) → S(t+1) for t = iT .. iT+T−1, exactly (the 64-sequence data bank and beyond)', () => {
    for (const n of [1, 3, 8]) {
      const T = 7;
      const task = new SineTask({ kind: 'sine', channels: n, T, validationSequences: 1 });
      for (const i of [...Array(64).keys(), 1000, 123456789]) {
        const seq = train(task, i);
        for (let tau = 0; tau < T; tau++) {
          for (let k = 0; k < n; k++) {
            expect(seq.x[tau * n + k]).toBe(S(k, n, i * T + tau));
            expect(seq.y[tau * n + k]).toBe(S(k, n, i * T + tau + 1));
          }
        }
      }
    }
  });

  it('forms the sine arguments bit-identically to the NumPy reference', () => {
    BANK_SEQUENCES.forEach((q, s) => {
      for (let tau = 0; tau <= BANK_T; tau++) {
        for (let k = 0; k < BANK_N; k++) {
          expect(sineArgument(k, BANK_N, q * BANK_T + tau)).toBe(BANK_ARGUMENTS[s][tau * BANK_N + k]);
        }
      }
    });
  });

  it('matches the NumPy data bank to the last bit of the sine (Math.sin against the C library)', () => {
    const task = new SineTask({ kind: 'sine', channels: BANK_N, T: BANK_T, validationSequences: 1 });
    BANK_SEQUENCES.forEach((q, s) => {
      const seq = train(task, q);
      for (let i = 0; i < BANK_T * BANK_N; i++) {
        expect(Math.abs(seq.x[i] - BANK_X[s][i])).toBeLessThanOrEqual(ulp(BANK_X[s][i]));
        expect(Math.abs(seq.y[i] - BANK_Y[s][i])).toBeLessThanOrEqual(ulp(BANK_Y[s][i]));
      }
    });
  });

  it('is one stream: each sequence starts where the previous one ended', () => {
    const task = createTask(config, 1);
    expect(task.continues(0)).toBe(false);
    for (const i of [1, 2, 63, 10_000]) expect(task.continues(i)).toBe(true);
    const a = train(task, 5);
    const b = train(task, 6);
    const n = task.n;
    expect(Array.from(a.y.subarray((task.T - 1) * n))).toEqual(Array.from(b.x.subarray(0, n)));
  });

  it('holds out consecutive windows at negative t, ending with the target S(−1)', () => {
    const task = createTask(config, 1);
    const { T, n } = task;
    const V = task.validation.length;
    task.validation.forEach((seq, v) => {
      const start = -1 - (V - v) * T;
      for (let tau = 0; tau < T; tau++) {
        for (let k = 0; k < n; k++) {
          expect(seq.x[tau * n + k]).toBe(S(k, n, start + tau));
          expect(seq.y[tau * n + k]).toBe(S(k, n, start + tau + 1));
        }
      }
      expect(start + T).toBeLessThan(0);
    });
    expect(task.validation[V - 1].y[(T - 1) * n + 1]).toBe(S(1, n, -1));
  });

  it('ignores the seed (no randomness) and is deterministic', () => {
    expect(bytesOf(train(createTask(config, 1), 9))).toBe(bytesOf(train(createTask(config, 2), 9)));
    expect(createTask(config, 1).validation.map(bytesOf)).toEqual(createTask(config, 7).validation.map(bytesOf));
  });

  it('rejects settings that are not whole numbers of at least 1', () => {
    const bad: [Record<string, number>, string][] = [
      [{ channels: 0 }, 'task.channels'],
      [{ T: 2.5 }, 'task.T'],
      [{ validationSequences: 0 }, 'task.validationSequences'],
    ];
    for (const [change, field] of bad) {
      expectTaskError(() => createTask({ ...config, ...change }, 1), field, /^must be a whole number of at least 1 \(got /);
    }
  });
});
