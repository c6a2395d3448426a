import { describe, expect, it } from 'vitest';
import { createTask } from '../../../native-worker/tasks';
import { CsvTask } from '../../../native-worker/tasks/csv';
import { bytesOf, expectOrderIndependent, expectShape, expectTaskError, train } from './helpers';

/** 40 rows of two columns: row r holds (r, 100 + 2r); a header names them. */
function series(rows: number): string {
  const lines = ['step,value'];
  for (let r = 0; r < rows; r++) lines.push(`${r},${100 + 2 * r}`);
  return `${lines.join('\r\n')}\r\n`;
}

const config = { kind: 'csv', csv: series(40), T: 5, normalize: 'none', validationFraction: 0.25 } as const;

describe('csv task', () => {
  it('makes every column a channel: m = n = columns, real targets, no mask, named columns', () => {
    const task = createTask(config, 1) as CsvTask;
    expect([task.kind, task.m, task.n, task.T, task.targets, task.masked, task.vocabulary]).toEqual(['csv', 2, 2, 5, 'real', false, null]);
    expect(task.columns).toEqual(['step', 'value']);
    expectShape(task, train(task, 0));
    for (const v of task.validation) expectShape(task, v);
  });

  it('predicts the next row: window i reads rows iT .. iT+T−1 of the first 30 rows and targets the row after each, cycling', () => {
    const task = createTask(config, 1);
    // 30 training rows → 5 windows (the 5th targets row 25); 10 held-out rows → 1 window of 6.
    for (let i = 0; i < 12; i++) {
      const seq = train(task, i);
      const start = (i % 5) * 5;
      const rowsIn = Array.from({ length: 5 }, (_, t) => [start + t, 100 + 2 * (start + t)]).flat();
      const rowsOut = Array.from({ length: 5 }, (_, t) => [start + t + 1, 100 + 2 * (start + t + 1)]).flat();
      expect(Array.from(seq.x)).toEqual(rowsIn);
      expect(Array.from(seq.y)).toEqual(rowsOut);
    }
    expect([0, 1, 4, 5, 6, 10].map((i) => task.continues(i))).toEqual([false, true, true, false, true, false]);
  });

  it('holds out the last rows in disjoint windows of T + 1, which training never reads', () => {
    const task = createTask({ ...config, csv: series(60) }, 1);
    // 45 training rows → 8 windows, the last targeting row 40; 15 held-out rows → 2 windows of 6.
    expect(task.validation).toHaveLength(2);
    expect(Array.from(task.validation[0].x.filter((_, i) => i % 2 === 0))).toEqual([45, 46, 47, 48, 49]);
    expect(Array.from(task.validation[1].y.filter((_, i) => i % 2 === 0))).toEqual([52, 53, 54, 55, 56]);
    let latest = -1;
    for (let i = 0; i < 20; i++) {
      const seq = train(task, i);
      for (let t = 0; t < task.T; t++) latest = Math.max(latest, seq.y[t * 2]);
    }
    expect(latest).toBeLessThan(45);
  });

  it('normalises with statistics of the training rows only', () => {
    const jump = series(40).replace(/\r\n(3[0-9]),(\d+)/g, (_, r: string) => `\r\n${r},${1e6 * Number(r)}`);
    const task = createTask({ ...config, csv: jump, normalize: 'zscore' }, 1) as CsvTask;
    // Training rows 0..29: step has mean 14.5, value has mean 129; both population standard deviations follow from 0..29.
    const sd = Math.sqrt((30 * 30 - 1) / 12);
    expect(task.offset[0]).toBe(14.5);
    expect(task.offset[1]).toBe(129);
    expect(task.scale[0]).toBeCloseTo(sd, 12);
    expect(task.scale[1]).toBeCloseTo(2 * sd, 12);
    const first = train(task, 0);
    expect(first.x[0]).toBeCloseTo(-14.5 / sd, 12);
    expect(first.x[1]).toBeCloseTo(-29 / (2 * sd), 12);
    expect(task.validation[0].x[1]).toBe((30e6 - 129) / task.scale[1]);

    const minmax = createTask({ ...config, csv: jump, normalize: 'minmax' }, 1) as CsvTask;
    expect(Array.from(minmax.offset)).toEqual([0, 100]);
    expect(Array.from(minmax.scale)).toEqual([29, 58]);
  });

  it('keeps a constant column finite', () => {
    const csv = `a,b\n${Array.from({ length: 40 }, (_, r) => `${r},0.3`).join('\n')}\n`;
    for (const normalize of ['zscore', 'minmax'] as const) {
      const task = createTask({ ...config, csv, normalize }, 1);
      const seq = train(task, 2);
      for (let t = 0; t < task.T; t++) expect(seq.x[t * 2 + 1]).toBe(0);
    }
  });

  it('does not depend on the seed or on call order', () => {
    expect(bytesOf(train(createTask(config, 1), 3))).toBe(bytesOf(train(createTask(config, 2), 3)));
    expectOrderIndependent(() => createTask(config, 1), [0, 2, 4, 5, 77]);
  });

  it('says how many rows T needs', () => {
    expectTaskError(
      () => createTask({ ...config, csv: series(20), T: 8 }, 1),
      'task.csv',
      '20 data rows are too few for T = 8 with validationFraction = 0.25: at least 34 are needed ' +
        '(2 training windows of T rows and one held-out window of T + 1)',
    );
    expect(() => createTask({ ...config, csv: series(34), T: 8 }, 1)).not.toThrow();
    expectTaskError(
      () => createTask({ ...config, csv: series(33), T: 8 }, 1),
      'task.csv',
      /^33 data rows are too few .* at least 34 are needed/,
    );
    expectTaskError(() => createTask({ ...config, csv: 'x\n1\n' }, 1), 'task.csv', /^1 data row is too few for T = 5/);
  });

  it('passes on the CSV errors and checks its other settings', () => {
    expectTaskError(
      () => createTask({ ...config, csv: 'a,b\n1,2\n3,oops\n' }, 1),
      'task.csv',
      'line 3, column 2 ("b"): "oops" is not a number',
    );
    expectTaskError(() => createTask({ ...config, csv: '' }, 1), 'task.csv', /^the file is empty/);
    expectTaskError(
      () => createTask({ ...config, normalize: 'robust' as 'none' }, 1),
      'task.normalize',
      'must be one of "zscore", "minmax", "none" (got "robust")',
    );
    expectTaskError(() => createTask({ ...config, validationFraction: -0.1 }, 1), 'task.validationFraction', /between 0 and 1/);
    expectTaskError(() => createTask({ ...config, T: 0 }, 1), 'task.T', 'must be a whole number of at least 1 (got 0)');
    expectTaskError(() => createTask({ ...config, csv: null as unknown as string }, 1), 'task.csv', "must be the CSV file's text");
    const huge = `a,b\n${Array.from({ length: 40 }, (_, r) => `${r},${r % 2 ? 1.7e308 : -1.7e308}`).join('\n')}\n`;
    expectTaskError(
      () => createTask({ ...config, csv: huge, normalize: 'minmax' }, 1),
      'task.csv',
      'column 2 ("b"): the values are too large to normalise; rescale the column or choose normalize "none"',
    );
    expect(() => createTask({ ...config, csv: huge, normalize: 'none' }, 1)).not.toThrow();
  });

  it('z-scores a column holding one value of 1e200 without zeroing it', () => {
    const csv = `a,b\n${Array.from({ length: 40 }, (_, r) => `${r},${r === 3 ? 1e200 : r}`).join('\n')}\n`;
    const task = createTask({ ...config, csv, normalize: 'zscore' }, 1) as CsvTask;
    expect(task.scale[1]).toBeGreaterThan(1e198);
    expect(Number.isFinite(task.scale[1])).toBe(true);
    expect(task.validation.every((s) => s.y.every(Number.isFinite))).toBe(true);
    expect(task.validation.some((s) => s.y.some((v) => v !== 0))).toBe(true);
  });
});
