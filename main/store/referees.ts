// The gradient lab's referee tables (migration 006). A table can hold NaN
// or Infinity (a referee on a diverged snapshot), so it is JSON with
// non-finite numbers spelt out, and checked field by field on the way in
// and out.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { LabReferee, StoredReferee } from '../../common/contract';
import { MATRIX_NAMES } from '../../common/values';
import { StoreError } from './errors';
import { jsonNumber, parseJson, stringifyJson } from './json';

const perMatrix = z.partialRecord(z.enum(MATRIX_NAMES), jsonNumber);
const table = z.object({
  T: z.number().int().min(1),
  B: z.number().int().min(1),
  checked: perMatrix,
  methods: z.array(z.object({ name: z.string(), ms: jsonNumber, bytes: z.number().min(0), norm: perMatrix })),
  pairs: z.array(z.object({ a: z.string(), b: z.string(), relativeError: perMatrix, cosine: perMatrix })),
});

interface RefereeRow {
  id: number;
  runId: number;
  step: number;
  report: string;
  createdAt: number;
}

export class Referees {
  private readonly insert;
  private readonly listOf;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare('INSERT INTO referees (run_id, step, report, created_at) VALUES (?, ?, ?, ?)');
    this.listOf = db.prepare<[number], RefereeRow>(
      'SELECT id, run_id AS runId, step, report, created_at AS createdAt FROM referees WHERE run_id = ? ORDER BY id',
    );
  }

  /** Stores a referee's table for the run; returns it as listed. */
  save(runId: number, r: LabReferee): StoredReferee {
    if (!Number.isSafeInteger(r.step) || r.step < 0) throw new StoreError('invalid-input', `referee: step ${r.step} is not a step`);
    const { step, ...body } = r;
    const json = stringifyJson(body);
    const parsed = table.safeParse(JSON.parse(json));
    if (!parsed.success) throw new StoreError('invalid-input', `referee: ${z.prettifyError(parsed.error)}`);
    const createdAt = this.now();
    const id = Number(this.insert.run(runId, step, json, createdAt).lastInsertRowid);
    return { id, runId, step, createdAt, ...parsed.data };
  }

  /** The run's referee tables, oldest first. */
  list(runId: number): StoredReferee[] {
    return this.listOf.all(runId).map((row) => ({
      id: row.id,
      runId: row.runId,
      step: row.step,
      createdAt: row.createdAt,
      ...parseJson(row.report, table, `referee ${row.id}`),
    }));
  }
}
