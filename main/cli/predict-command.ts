// `rnn-workbench predict`: a run's snapshot on new data (the predict:csv
// call, as the app's "Evaluate on data…"), the predictions written as CSV
// to --out or stdout, the loss when the file has targets (to stderr when
// the CSV goes to stdout, so the output stays a clean CSV).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Prediction } from '../../common/contract';
import { ApiError } from '../runs/errors';
import { writeFileAtomically } from '../transfer/save-file';
import type { Flag } from './args';
import type { Context } from './command';
import { AT_FLAG, stepFlag } from './inspect-command';
import { jsonLine, terminalText } from './terminal-text';

export const PREDICT_FLAGS: readonly Flag[] = [
  AT_FLAG,
  {
    name: 'input',
    type: 'string',
    value: 'FILE.csv',
    description: "the data: a csv-task run's own columns; for other tasks the m inputs, optionally followed by n targets",
  },
  { name: 'out', short: 'o', type: 'string', value: 'FILE.csv', description: 'where to write the predictions (default: stdout)' },
];

export const PREDICT_DETAILS =
  'Runs the snapshot over the rows of --input as one sequence x^1 … x^R from s^0 = 0. For a run of the csv task the\n' +
  "columns are normalised with the run's own training statistics, y^t predicts row t + 1 and is put back into the\n" +
  "data's units; the loss (in the training loss's units) is over the R − 1 rows that have a next row. For other tasks\n" +
  'the file holds the m inputs, and with n more columns of targets the loss is over every row. The CSV written has a\n' +
  'column t, the predictions, and the targets (when present; empty where a row has none). Only reads the database.';

interface PredictFlags {
  at?: string;
  input?: string;
  out?: string;
}

export async function predictCommand({ call, runId, values, out, err, json }: Context): Promise<number> {
  const id = runId();
  const f = values as PredictFlags;
  if (f.input === undefined)
    throw new ApiError('invalid-argument', 'predict: --input FILE.csv is required (the data to run the snapshot on)');
  const step = f.at === undefined ? null : stepFlag('--at', f.at, 0);
  let csv: string;
  try {
    csv = readFileSync(f.input, 'utf8');
  } catch (e) {
    throw new ApiError('invalid-argument', `--input: cannot read ${f.input}: ${(e as Error).message}`);
  }
  const p = await call('predict:csv', { id, step, fileName: basename(f.input), csv });
  const text = predictionCsv(p);
  if (f.out !== undefined) await writeFileAtomically(f.out, [Buffer.from(text, 'utf8')]);
  const summary = `run ${id} at step ${p.step}: ${p.predictions.length} rows${lossText(p)}`;
  if (json) out(jsonLine({ ...p, out: f.out ?? null }));
  else if (f.out !== undefined) out(`wrote ${terminalText(f.out)}; ${summary}\n`);
  else {
    out(text);
    err(`${summary}\n`);
  }
  return 0;
}

function lossText(p: Prediction): string {
  if (p.loss === null) return '; no targets, so no loss';
  return `; loss ${p.loss.toPrecision(6)} over ${p.lossSteps} steps (${(p.loss / p.lossSteps).toPrecision(6)} per step${p.normalized ? ', in normalised units' : ''})`;
}

/** t, the predictions, then the targets: numbers in their shortest exact form. */
export function predictionCsv(p: Prediction): string {
  const field = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = ['t', ...p.outputs.map((o) => `predicted ${o}`), ...(p.targets ? p.outputs.map((o) => `target ${o}`) : [])];
  const rows = p.predictions.map((y, t) => {
    const target = p.targets ? (p.targets[t] ?? p.outputs.map(() => '')) : [];
    return [t + 1, ...y, ...target].join(',');
  });
  return [header.map(field).join(','), ...rows].join('\n') + '\n';
}
