// A snapshot run on new data (`rnn-workbench predict`, the app's "Evaluate
// on data…"): the rows of a CSV file as one sequence x^1 … x^R from s^0 =
// 0, in the run's own precision. For a csv-task run the file holds the
// run's columns; they are normalised with the statistics of the run's own
// training rows (as in training), y^t predicts row t + 1, the predictions
// are put back into the data's units, and the loss (in the training loss's
// units) is over the R − 1 rows that have a next row. For any other task the
// file holds the m inputs, optionally followed by n target columns (then
// the loss is over every row); outputs are the model's y (logits for a
// cross-entropy run).

import type { Checkpoint, Prediction, RunConfig } from '../../../common/contract';
import { createTask, TaskError } from '../../tasks';
import { CsvTask } from '../../tasks/csv';
import { readCsvTable, type CsvTable } from '../../tasks/csv-table';
import { newBatch } from '../batch';
import { ForwardPass } from '../forward';
import { lossRows, lossSpec } from '../loss';
import { fromWeights, layoutOf } from '../params';
import { allocate } from '../tensor';

/** Runs the snapshot over the rows of `csv`; `what` names the file in errors (RangeError). */
export function predictCsv(config: RunConfig, checkpoint: Checkpoint, csv: string, what: string): Prediction {
  const task = createTask(config.task, config.seed);
  const { m, n } = task;
  const table = readTable(csv, what);
  const csvRun = task instanceof CsvTask;
  const withTargets = !csvRun && table.cols === m + n;
  if (table.cols !== m && !withTargets) {
    const want = csvRun
      ? `the run's ${m} column${m === 1 ? '' : 's'} (${task.columns.join(', ')})`
      : `the run's ${m} input${m === 1 ? '' : 's'}, optionally followed by its ${n} target${n === 1 ? '' : 's'}`;
    throw new RangeError(`${what}: has ${table.cols} column${table.cols === 1 ? '' : 's'}; expected ${want}`);
  }
  const R = table.rows;
  const cols = table.cols;
  const raw = table.values;
  // A csv run's series in its training units.
  const unit = csvRun ? (k: number, v: number) => (v - task.offset[k]) / task.scale[k] : (_k: number, v: number) => v;
  const batch = newBatch(R, 1, m, n, true);
  for (let t = 0; t < R; t++) {
    for (let j = 0; j < m; j++) batch.x[t * m + j] = unit(j, raw[t * cols + j]);
    const next = csvRun ? t + 1 : t;
    const has = csvRun ? next < R : withTargets;
    batch.mask![t] = has ? 1 : 0;
    for (let k = 0; has && k < n; k++) batch.y[t * n + k] = unit(k, raw[next * cols + (csvRun ? k : m + k)]);
  }

  const { hidden: d, hiddenBias, outputBias, activation } = config.model;
  const layout = layoutOf({ m, d, n, hiddenBias, outputBias });
  const p = fromWeights(layout, checkpoint.weights, config.dtype);
  const fwd = new ForwardPass(layout, activation, config.dtype, R, 1);
  fwd.run(p, batch);
  const lossSteps = batch.mask!.reduce((a, w) => a + w, 0);
  const loss =
    lossSteps === 0
      ? null
      : lossRows(lossSpec(config.loss, n), n, R, fwd.Y, 0, batch.y, 0, batch.mask, 0, 1, allocate(config.dtype, R * n), 0);

  const back = csvRun ? (k: number, v: number) => v * task.scale[k] + task.offset[k] : (_k: number, v: number) => v;
  // The targets as the file gives them: the next row (csv run) or the last n columns.
  const target = (t: number) => Array.from({ length: n }, (_, k) => (csvRun ? raw[(t + 1) * cols + k] : raw[t * cols + m + k]));
  return {
    step: checkpoint.step,
    outputs: csvRun
      ? [...task.columns]
      : withTargets && table.hasHeader
        ? table.columns.slice(m)
        : Array.from({ length: n }, (_, k) => `y${k + 1}`),
    predictions: Array.from({ length: R }, (_, t) => Array.from({ length: n }, (_, k) => back(k, fwd.Y[t * n + k]))),
    targets: csvRun || withTargets ? Array.from({ length: R }, (_, t) => (batch.mask![t] ? target(t) : null)) : null,
    loss,
    lossSteps,
    normalized: csvRun && config.task.kind === 'csv' && config.task.normalize !== 'none',
  };
}

/** A CSV file's table; a bad cell is a RangeError naming `what`, its line and column. */
export function readTable(csv: string, what: string): CsvTable {
  try {
    return readCsvTable(csv);
  } catch (e) {
    if (e instanceof TaskError) throw new RangeError(`${what}: ${e.message.slice(e.field.length + 2)}`);
    throw e;
  }
}
