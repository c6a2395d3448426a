// Eval rows: validation loss, weight/gradient histograms (JSON), the probe
// sequence and the eigenvalues of W (float64 LE blobs, exact), the run's
// health and the task's baselines (JSON, migration 004; NULL in older rows),
// the gradient lab's numbers (JSON, migration 007; NULL in older rows).

import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { EvalLab, EvalMetrics, HealthReport, TaskBaseline } from '../../common/contract';
import { decodeF64, encodeF64 } from './blob';
import { StoreError } from './errors';
import { jsonNumber, parseJson, realOrNaN, stringifyJson } from './json';
import { BASELINE_KINDS, HEALTH_STATES, MATRIX_NAMES } from '../../common/values';

const matrixName = z.enum(MATRIX_NAMES);
const histogram = z.object({
  lo: jsonNumber,
  hi: jsonNumber,
  counts: z.array(z.number().int().nonnegative()),
  under: z.number().int().nonnegative(),
  over: z.number().int().nonnegative(),
});
const histograms = z.object({
  weights: z.partialRecord(matrixName, histogram),
  grads: z.partialRecord(matrixName, histogram),
});

const step = z.number().int().nonnegative();
export const healthSchema = z.strictObject({
  state: z.enum(HEALTH_STATES),
  step,
  since: step,
  reasons: z.array(z.string()),
  remedy: z.string().nullable(),
}) satisfies z.ZodType<HealthReport, unknown>;
const baselinesSchema = z.array(z.strictObject({ kind: z.enum(BASELINE_KINDS), loss: jsonNumber })) satisfies z.ZodType<
  TaskBaseline[],
  unknown
>;

/** The lab numbers' shape, its numbers read by `num` (the store's JSON spells non-finite numbers out; archives also keep −0). */
export function labSchemaOf(num: z.ZodType<number, unknown>): z.ZodType<EvalLab, unknown> {
  const perMatrixAndAll = z.strictObject({ ...Object.fromEntries(MATRIX_NAMES.map((m) => [m, num.optional()])), all: num });
  return z.strictObject({
    flow: z.array(num),
    probeLoss: z.array(num),
    probeMask: z.array(num).nullable(),
    probeText: z.strictObject({ target: z.string(), output: z.string() }).nullable(),
    alignment: z.strictObject({ step, cosine: perMatrixAndAll, normRatio: perMatrixAndAll }).nullable(),
  }) as z.ZodType<EvalLab, unknown>;
}
const labSchema = labSchemaOf(jsonNumber);

interface EvalRow {
  step: number;
  validationLoss: number | null;
  histograms: string;
  T: number;
  d: number;
  n: number;
  hidden: Buffer;
  outputs: Buffer;
  targets: Buffer;
  eigenvalues: Buffer;
  health: string | null;
  baselines: string | null;
  lab: string | null;
}

const EVAL_COLUMNS =
  'step, validation_loss AS validationLoss, histograms, probe_t AS T, probe_d AS d, probe_n AS n, ' +
  'probe_hidden AS hidden, probe_outputs AS outputs, probe_targets AS targets, eigenvalues, health, baselines, lab';

export class Evals {
  private readonly insert;
  private readonly rowAtOrBefore;
  private readonly rowsIn;
  private readonly stepsOf;
  private readonly lossIn;
  private readonly bestOf;
  private readonly deleteAfterStep;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO evals (run_id, step, validation_loss, histograms, probe_t, probe_d, probe_n, probe_hidden, ' +
        'probe_outputs, probe_targets, eigenvalues, health, baselines, lab) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.rowAtOrBefore = db.prepare<[number, number], EvalRow>(
      `SELECT ${EVAL_COLUMNS} FROM evals WHERE run_id = ? AND step <= ? ORDER BY step DESC LIMIT 1`,
    );
    this.rowsIn = db.prepare<[number, number, number], EvalRow>(
      `SELECT ${EVAL_COLUMNS} FROM evals WHERE run_id = ? AND step BETWEEN ? AND ? ORDER BY step`,
    );
    this.stepsOf = db.prepare<[number], number>('SELECT step FROM evals WHERE run_id = ? ORDER BY step').pluck();
    this.lossIn = db
      .prepare<[number, number, number], [number, number | null]>(
        'SELECT step, validation_loss FROM evals WHERE run_id = ? AND step BETWEEN ? AND ? ORDER BY step',
      )
      .raw();
    this.bestOf = db
      .prepare<[number], number | null>(
        'SELECT min(validation_loss) FROM evals WHERE run_id = ? AND validation_loss NOT IN (9e999, -9e999)',
      )
      .pluck();
    this.deleteAfterStep = db.prepare('DELETE FROM evals WHERE run_id = ? AND step > ?');
  }

  /** Stores one eval row; `where` names it in errors. Call inside a transaction. */
  save(runId: number, e: EvalMetrics, where: string): void {
    const invalid = (msg: string): StoreError => new StoreError('invalid-input', `${where}: ${msg}`);
    if (!Number.isSafeInteger(e.step) || e.step < 0) throw invalid(`step ${e.step} is not a non-negative integer`);
    if (typeof e.validationLoss !== 'number') throw invalid('validationLoss is not a number');
    const histogramsJson = checked(e.histograms, histograms, (m) => invalid(`histograms: ${m}`));
    const { T, d, n, hidden, outputs, targets } = e.probe;
    for (const [k, v] of Object.entries({ T, d, n })) {
      if (!Number.isSafeInteger(v) || v < 0) throw invalid(`probe.${k} (${v}) is not a non-negative integer`);
    }
    if (hidden.length !== T * d) throw invalid(`probe.hidden has ${hidden.length} values, expected T×d = ${T * d}`);
    if (outputs.length !== T * n) throw invalid(`probe.outputs has ${outputs.length} values, expected T×n = ${T * n}`);
    if (targets.length !== T * n) throw invalid(`probe.targets has ${targets.length} values, expected T×n = ${T * n}`);
    if (e.eigenvalues.length % 2 !== 0) throw invalid('eigenvalues must be (re, im) pairs');
    const health = e.health === undefined ? null : checked(e.health, healthSchema, (m) => invalid(`health: ${m}`));
    const baselines = e.baselines === undefined ? null : checked(e.baselines, baselinesSchema, (m) => invalid(`baselines: ${m}`));
    const lab = e.lab === undefined ? null : checked(e.lab, labSchema, (m) => invalid(`lab: ${m}`));
    if (e.lab && e.lab.probeLoss.length !== T) throw invalid(`lab.probeLoss has ${e.lab.probeLoss.length} values, expected T = ${T}`);
    const args = [
      runId,
      e.step,
      Number.isNaN(e.validationLoss) ? null : e.validationLoss,
      histogramsJson,
      T,
      d,
      n,
      encodeF64(hidden),
      encodeF64(outputs),
      encodeF64(targets),
      encodeF64(e.eigenvalues),
      health,
      baselines,
      lab,
    ];
    try {
      this.insert.run(...args);
    } catch (cause) {
      if ((cause as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw cause;
      throw new StoreError('invalid-input', `${where}: an eval at step ${e.step} is already stored for run ${runId}`, { cause });
    }
  }

  /** The eval at `step`, or the last one before it. */
  atOrBefore(runId: number, step: number): EvalMetrics | null {
    const row = this.rowAtOrBefore.get(runId, step);
    return row === undefined ? null : build(runId, row);
  }

  /** Every eval with a step in [from, to], in step order. */
  between(runId: number, from: number, to: number): EvalMetrics[] {
    return this.rowsIn.all(runId, from, to).map((row) => build(runId, row));
  }

  steps(runId: number): number[] {
    return this.stepsOf.all(runId);
  }

  /** Raw validation-loss points in [from, to], NaN where the loss was NaN. */
  validationLoss(runId: number, from: number, to: number): { steps: number[]; values: number[] } {
    const steps: number[] = [];
    const values: number[] = [];
    for (const [step, loss] of this.lossIn.all(runId, from, to)) {
      steps.push(step);
      values.push(realOrNaN(loss));
    }
    return { steps, values };
  }

  /** Lowest finite validation loss stored for the run (min() skips the NULLs NaN became; 9e999 is SQLite's Infinity). */
  best(runId: number): number | null {
    return this.bestOf.get(runId) ?? null;
  }

  deleteAfter(runId: number, step: number): void {
    this.deleteAfterStep.run(runId, step);
  }
}

function build(runId: number, row: EvalRow): EvalMetrics {
  const where = `eval of run ${runId} at step ${row.step}`;
  return {
    step: row.step,
    validationLoss: realOrNaN(row.validationLoss),
    histograms: parseJson(row.histograms, histograms, `${where}, histograms`),
    probe: {
      T: row.T,
      d: row.d,
      n: row.n,
      hidden: Array.from(decodeF64(row.hidden, `${where}, probe.hidden`)),
      outputs: Array.from(decodeF64(row.outputs, `${where}, probe.outputs`)),
      targets: Array.from(decodeF64(row.targets, `${where}, probe.targets`)),
    },
    eigenvalues: Array.from(decodeF64(row.eigenvalues, `${where}, eigenvalues`)),
    ...(row.health === null ? {} : { health: parseJson(row.health, healthSchema, `${where}, health`) }),
    ...(row.baselines === null ? {} : { baselines: parseJson(row.baselines, baselinesSchema, `${where}, baselines`) }),
    ...(row.lab === null ? {} : { lab: parseJson(row.lab, labSchema, `${where}, lab`) }),
  };
}

/** The JSON text of a value that passes `schema` after the round trip through it (non-finite numbers spelled out). */
function checked<T>(value: T, schema: z.ZodType<unknown>, invalid: (message: string) => Error): string {
  const text = stringifyJson(value);
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw invalid(z.prettifyError(parsed.error));
  return text;
}
