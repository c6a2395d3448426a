// A snapshot on new data (predict:csv and `rnn-workbench predict`). On the
// rows of a held-out window of its own CSV, a csv-task run's loss is the
// evaluator's validation loss of that window to the bit (so the columns
// were normalised exactly as in training) and the targets are the raw next
// rows; predictions are put back into the data's units. A sine run reads
// m inputs then n targets. The CLI writes the CSV to stdout or --out, the
// loss beside it, and refuses a file of the wrong shape naming it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prediction, RunRecord } from '../../../common/contract';
import { openWorkbench } from '../../../main/workbench';
import { parseConfig } from '../../../native-worker/config';
import { newBatch, putSequence } from '../../../native-worker/engine/batch';
import { Evaluator } from '../../../native-worker/engine/evaluate';
import { lossSpec } from '../../../native-worker/engine/loss';
import { fromWeights, layoutOf } from '../../../native-worker/engine/params';
import { createTask } from '../../../native-worker/tasks';
import type { CsvTask } from '../../../native-worker/tasks/csv';
import { cli } from '../../support/cli';
import { smallConfig, trainedRun } from './fixtures';

const rows = Array.from({ length: 120 }, (_, i) => `${(100 + 30 * Math.sin(i / 5)).toFixed(3)},${(i * 0.5 - 7).toFixed(2)}`);
const CSV = `temp,load\n${rows.join('\n')}\n`;
const csvConfig = parseConfig({
  seed: 3,
  task: { kind: 'csv', csv: CSV, T: 10, validationFraction: 0.2, normalize: 'zscore' },
  model: { hidden: 5 },
  method: { kind: 'bptt' },
  training: { steps: 20, evalEvery: 10, snapshotEvery: 10 },
});

let dir: string;
let db: string;
let csvRun: RunRecord;
let sineRun: RunRecord;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'predict-'));
  db = join(dir, 'w.db');
  const wb = openWorkbench({
    databasePath: db,
    spawn: () => {
      throw new Error('no workers here');
    },
  });
  csvRun = trainedRun(wb, csvConfig, 'csv run');
  sineRun = trainedRun(wb, smallConfig(), 'sine run');
  await wb.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The evaluator's loss of one validation sequence at the run's latest snapshot. */
function validationLoss(run: RunRecord, weights: Parameters<typeof fromWeights>[1], j: number): number {
  const task = createTask(run.config.task, run.config.seed);
  const { hidden: d, hiddenBias, outputBias, activation } = run.config.model;
  const layout = layoutOf({ m: task.m, d, n: task.n, hiddenBias, outputBias });
  const batch = newBatch(task.T, 1, task.m, task.n, task.masked);
  putSequence(batch, 0, task.validation[j]);
  const ev = new Evaluator(layout, activation, run.config.dtype, task.T, 1);
  return ev.loss(fromWeights(layout, weights, run.config.dtype), batch, lossSpec(run.config.loss, task.n));
}

async function predictJson(...args: string[]): Promise<Prediction> {
  const r = await cli('predict', ...args, '--db', db, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Prediction;
}

describe('predict on a csv-task run', () => {
  it("a held-out window's loss is the evaluator's, to the bit; targets are the raw next rows", async () => {
    const task = createTask(csvRun.config.task, csvRun.config.seed) as CsvTask;
    const start = (task as unknown as { split: { trainLength: number } }).split.trainLength; // validation window 0: rows start … start + T
    const window = rows.slice(start, start + task.T + 1);
    const file = join(dir, 'window.csv');
    writeFileSync(file, `temp,load\n${window.join('\n')}\n`);
    const p = await predictJson(String(csvRun.id), '--input', file);
    const wb = openWorkbench({ databasePath: db, readOnly: true });
    const weights = wb.store.latestCheckpoint(csvRun.id)!.weights;
    await wb.close();
    expect(p.step).toBe(20);
    expect(p.outputs).toEqual(['temp', 'load']);
    expect(p.normalized).toBe(true);
    expect(p.lossSteps).toBe(task.T);
    expect(p.loss).toBe(validationLoss(csvRun, weights, 0));
    expect(p.predictions).toHaveLength(task.T + 1);
    expect(p.targets!.slice(0, -1)).toEqual(window.slice(1).map((r) => r.split(',').map(Number)));
    expect(p.targets!.at(-1)).toBeNull();
    // in the data's units: around the series' own level (≈ 100), not the normalised one (≈ 0)
    const temps = p.predictions.map((y) => y[0]);
    expect(Math.min(...temps)).toBeGreaterThan(40);
  });

  it('writes the CSV to stdout with the loss on stderr, or to --out', async () => {
    const file = join(dir, 'all.csv');
    writeFileSync(file, CSV);
    const r = await cli('predict', String(csvRun.id), '--input', file, '--db', db);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('t,predicted temp,predicted load,target temp,target load');
    expect(lines).toHaveLength(121);
    expect(lines[120]).toMatch(/^120,[-\d.e]+,[-\d.e]+,,$/);
    expect(r.err).toMatch(/^run \d+ at step 20: 120 rows; loss [\d.e+-]+ over 119 steps \([\d.e+-]+ per step, in normalised units\)\n$/);
    const out = join(dir, 'p.csv');
    const w = await cli('predict', String(csvRun.id), '--at', '10', '--input', file, '--out', out, '--db', db);
    expect(w.code).toBe(0);
    expect(w.out).toMatch(/^wrote .*p\.csv; run \d+ at step 10: 120 rows; loss/);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(lines[0]);
  });

  it('refuses a file with other columns, naming it and the columns expected', async () => {
    const file = join(dir, 'three.csv');
    writeFileSync(file, 'a,b,c\n1,2,3\n4,5,6\n');
    const r = await cli('predict', String(csvRun.id), '--input', file, '--db', db);
    expect(r).toEqual({ code: 2, out: '', err: "error: three.csv: has 3 columns; expected the run's 2 columns (temp, load)\n" });
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'temp,load\n1,2\n3,x\n');
    expect((await cli('predict', String(csvRun.id), '--input', bad, '--db', db)).err).toBe(
      'error: bad.csv: line 3, column 2 ("load"): "x" is not a number\n',
    );
    expect(await cli('predict', String(csvRun.id), '--db', db)).toMatchObject({
      code: 2,
      err: 'error: predict: --input FILE.csv is required (the data to run the snapshot on)\n',
    });
  });
});

describe('predict on other tasks', () => {
  it('m inputs then n targets: the loss is the evaluator’s on the same sequence', async () => {
    const task = createTask(sineRun.config.task, sineRun.config.seed);
    const seq = task.validation[1];
    const lines = Array.from({ length: task.T }, (_, t) =>
      [...seq.x.subarray(t * task.m, (t + 1) * task.m), ...seq.y.subarray(t * task.n, (t + 1) * task.n)].join(','),
    );
    const file = join(dir, 'sine.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const p = await predictJson(String(sineRun.id), '--input', file);
    const wb = openWorkbench({ databasePath: db, readOnly: true });
    const weights = wb.store.latestCheckpoint(sineRun.id)!.weights;
    await wb.close();
    expect(p.outputs).toEqual(['y1', 'y2']);
    expect(p.normalized).toBe(false);
    expect(p.lossSteps).toBe(task.T);
    expect(p.loss).toBe(validationLoss(sineRun, weights, 1));
    const inputsOnly = join(dir, 'x.csv');
    writeFileSync(inputsOnly, lines.map((l) => l.split(',').slice(0, task.m).join(',')).join('\n') + '\n');
    const q = await predictJson(String(sineRun.id), '--input', inputsOnly);
    expect([q.loss, q.targets]).toEqual([null, null]);
    expect(q.predictions).toEqual(p.predictions);
  });
});
