// Gradient-check reports. Relative errors can be NaN or Infinity (a check on
// a diverged model), so the report is JSON with non-finite numbers spelt out.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { GradCheckReport } from '../../common/contract';
import { StoreError } from './errors';
import { jsonNumber, parseJson, realOrNaN, stringifyJson } from './json';
import { MATRIX_NAMES } from '../../common/values';
import type { StoredGradCheck } from './types';

const perMatrix = z.partialRecord(z.enum(MATRIX_NAMES), jsonNumber);
const report = z.object({
  rtrlVsBptt: perMatrix,
  rtrlVsFiniteDiff: perMatrix,
  bpttVsFiniteDiff: perMatrix,
  checked: perMatrix,
});

interface GradCheckRow {
  id: number;
  runId: number;
  step: number;
  worst: number | null;
  report: string;
  createdAt: number;
}

export class GradChecks {
  private readonly insert;
  private readonly listOf;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO grad_checks (run_id, step, worst, report, created_at) VALUES (?, ?, ?, ?, ?)');
    this.listOf = db.prepare<[number], GradCheckRow>(
      'SELECT id, run_id AS runId, step, worst, report, created_at AS createdAt FROM grad_checks ' + 'WHERE run_id = ? ORDER BY step, id',
    );
  }

  save(runId: number, r: GradCheckReport, createdAt: number): number {
    if (!Number.isSafeInteger(r.step) || r.step < 0) {
      throw new StoreError('invalid-input', `grad check: step ${r.step} is not a non-negative integer`);
    }
    if (typeof r.worst !== 'number') throw new StoreError('invalid-input', 'grad check: worst is not a number');
    const body = {
      rtrlVsBptt: r.rtrlVsBptt,
      rtrlVsFiniteDiff: r.rtrlVsFiniteDiff,
      bpttVsFiniteDiff: r.bpttVsFiniteDiff,
      checked: r.checked,
    };
    const json = stringifyJson(body);
    const parsed = report.safeParse(JSON.parse(json));
    if (!parsed.success) throw new StoreError('invalid-input', `grad check: ${z.prettifyError(parsed.error)}`);
    const result = this.insert.run(runId, r.step, Number.isNaN(r.worst) ? null : r.worst, json, createdAt);
    return Number(result.lastInsertRowid);
  }

  list(runId: number): StoredGradCheck[] {
    return this.listOf.all(runId).map((row) => ({
      id: row.id,
      runId: row.runId,
      step: row.step,
      worst: realOrNaN(row.worst),
      createdAt: row.createdAt,
      ...parseJson(row.report, report, `grad check ${row.id}`),
    }));
  }
}
