// The runs table. Rows read back are checked with zod; the config is kept as
// the JSON the caller gave and checked only for the fields the store itself
// reads (seed, task.kind, method.kind): validating a whole RunConfig is the
// job of the schema at the IPC boundary, before a run is created. A CSV or
// text task's data is kept once in the datasets table (migration 003): the
// row's config holds null in its place and `dataset` the text's SHA-256, so
// status and progress updates never rewrite it; get() puts it back.

import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { configParams } from '../../common/config-leaves';
import type { RunConfig, RunParams } from '../../common/contract';
import { StoreError } from './errors';
import { healthSchema } from './evals';
import { parseJson } from './json';
import { ENDED_STATUSES, RUN_STATUSES } from '../../common/statuses';
import { type NewRun, type RunFilter, type RunPatch, type RunRecord, type RunStatus, type RunSummary } from './types';

const SUMMARY_COLUMNS =
  'id, name, status, task_kind AS taskKind, method_kind AS methodKind, seed, engine_version AS engineVersion, ' +
  'app_version AS appVersion, created_at AS createdAt, started_at AS startedAt, updated_at AS updatedAt, ' +
  'finished_at AS finishedAt, tags, notes, parent_run_id AS parentRunId, parent_step AS parentStep, ' +
  'last_step AS lastStep, best_validation_loss AS bestValidationLoss, end_message AS endMessage, ' +
  "json_extract(config, '$.model.hidden') AS hidden, json_extract(config, '$.training.batchSize') AS batchSize, " +
  "json_extract(config, '$.training.steps') AS totalSteps, " +
  '(SELECT health FROM evals WHERE run_id = runs.id AND health IS NOT NULL ORDER BY step DESC LIMIT 1) AS health';

const summaryRow = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(RUN_STATUSES),
  taskKind: z.string(),
  methodKind: z.string(),
  seed: z.number().int(),
  engineVersion: z.string().nullable(),
  appVersion: z.string(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  tags: z.string(),
  notes: z.string(),
  parentRunId: z.number().int().nullable(),
  parentStep: z.number().int().nullable(),
  lastStep: z.number().int().nullable(),
  bestValidationLoss: z.number().nullable(),
  endMessage: z.string().nullable(),
  hidden: z.number().int(),
  batchSize: z.number().int(),
  totalSteps: z.number().int(),
  health: z.string().nullable(),
});
const tagList = z.array(z.string());
const configShape = z.looseObject({
  seed: z.number().int(),
  task: z.looseObject({ kind: z.string() }),
  model: z.looseObject({ hidden: z.number().int() }),
  training: z.looseObject({ steps: z.number().int(), batchSize: z.number().int() }),
  method: z.looseObject({ kind: z.string() }),
});

/** The config field holding a task's data, for the kinds that have one. */
const DATA_FIELDS: Readonly<Record<string, string>> = { csv: 'csv', text: 'text' };

export class Runs {
  constructor(private readonly db: Database.Database) {}

  create(input: NewRun, now: number): number {
    return this.db.transaction(() => this.insert(input, now))();
  }

  private insert(input: NewRun, now: number): number {
    const config = configShape.safeParse(input.config);
    if (!config.success) throw new StoreError('invalid-input', `run config: ${z.prettifyError(config.error)}`);
    checkName(input.name);
    const tags = checkTags(input.tags ?? []);
    const status = input.status ?? 'created';
    checkStatus(status);
    const parentStep = input.parentStep ?? null;
    if (parentStep !== null && (!Number.isSafeInteger(parentStep) || parentStep < 0)) {
      throw new StoreError('invalid-input', `parentStep ${parentStep} is not a non-negative integer`);
    }
    const parentRunId = input.parentRunId ?? null;
    if (parentRunId !== null && this.summary(parentRunId) === null) {
      throw new StoreError('no-such-run', `parent run ${parentRunId} does not exist`);
    }
    const stored = this.storeDataset(input.config);
    const result = this.db
      .prepare(
        'INSERT INTO runs (name, status, config, dataset, task_kind, method_kind, seed, engine_version, app_version, ' +
          'created_at, started_at, updated_at, finished_at, tags, notes, parent_run_id, parent_step) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        wellFormed(input.name),
        status,
        stored.config,
        stored.dataset,
        config.data.task.kind,
        config.data.method.kind,
        config.data.seed,
        input.engineVersion ?? null,
        input.appVersion,
        now,
        status === 'running' ? now : null,
        now,
        ENDED_STATUSES.includes(status) ? now : null,
        JSON.stringify(tags),
        wellFormed(input.notes ?? ''),
        parentRunId,
        parentStep,
      );
    return Number(result.lastInsertRowid);
  }

  get(id: number): RunRecord | null {
    const row = this.db
      .prepare<[number], Record<string, unknown>>(
        `SELECT ${SUMMARY_COLUMNS}, config, dataset, (SELECT data FROM datasets WHERE hash = runs.dataset) AS data FROM runs WHERE id = ?`,
      )
      .get(id);
    if (row === undefined) return null;
    const config = parseJson(String(row.config), configShape, `run ${id} config`) as unknown as RunConfig;
    if (row.dataset !== null) {
      const field = DATA_FIELDS[config.task.kind];
      if (field === undefined || typeof row.data !== 'string') {
        throw new StoreError(
          'bad-row',
          `run ${id}: its dataset ${String(row.dataset)} is missing or does not fit a ${config.task.kind} task`,
        );
      }
      (config.task as Record<string, unknown>)[field] = row.data;
    }
    return { ...toSummary(row), config };
  }

  params(ids: readonly number[] | null): RunParams[] {
    const rows =
      ids === null
        ? this.db.prepare<[], { id: number; config: string }>('SELECT id, config FROM runs ORDER BY id').all()
        : ids.flatMap((id) =>
            this.db.prepare<[number], { id: number; config: string }>('SELECT id, config FROM runs WHERE id = ?').all(id),
          );
    return rows.map((r) => {
      const config = parseJson(r.config, configShape, `run ${r.id} config`) as unknown as RunConfig;
      const params = configParams(config);
      const data = DATA_FIELDS[config.task.kind];
      if (data !== undefined) delete params[`task.${data}`]; // kept in the datasets table, null here
      return { id: r.id, params };
    });
  }

  summary(id: number): RunSummary | null {
    const row = this.db.prepare<[number], Record<string, unknown>>(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE id = ?`).get(id);
    return row === undefined ? null : toSummary(row);
  }

  /** Newest first. Every condition is a bound parameter; only their number varies the SQL. */
  list(filter: RunFilter = {}): RunSummary[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== undefined) {
      filter.status.forEach(checkStatus);
      where.push(`status IN (${filter.status.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...filter.status);
    }
    if (filter.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)');
      params.push(filter.tag);
    }
    if (filter.search !== undefined && filter.search !== '') {
      where.push("(name LIKE ? ESCAPE '\\' OR notes LIKE ? ESCAPE '\\')");
      const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(pattern, pattern);
    }
    if (filter.parentRunId !== undefined) {
      where.push('parent_run_id = ?');
      params.push(filter.parentRunId);
    }
    const limit = filter.limit ?? -1;
    const offset = filter.offset ?? 0;
    if (!Number.isSafeInteger(limit) || !Number.isSafeInteger(offset) || offset < 0) {
      throw new StoreError('invalid-input', `listRuns: limit (${limit}) and offset (${offset}) must be integers`);
    }
    const sql =
      `SELECT ${SUMMARY_COLUMNS} FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ` +
      'ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?';
    return this.db
      .prepare<unknown[], Record<string, unknown>>(sql)
      .all(...params, limit, offset)
      .map(toSummary);
  }

  /** Applies the patch; a new status also moves startedAt/finishedAt. */
  update(id: number, patch: RunPatch, now: number): void {
    this.db.transaction(() => this.apply(id, patch, now))();
  }

  private apply(id: number, patch: RunPatch, now: number): void {
    const sets: string[] = ['updated_at = ?'];
    const params: unknown[] = [now];
    if (patch.name !== undefined) {
      checkName(patch.name);
      sets.push('name = ?');
      params.push(wellFormed(patch.name));
    }
    if (patch.config !== undefined) {
      const stored = this.storeDataset(patch.config);
      sets.push('config = ?', 'dataset = ?');
      params.push(stored.config, stored.dataset);
    }
    if (patch.tags !== undefined) {
      sets.push('tags = ?');
      params.push(JSON.stringify(checkTags(patch.tags)));
    }
    if (patch.notes !== undefined) {
      sets.push('notes = ?');
      params.push(wellFormed(patch.notes));
    }
    if (patch.engineVersion !== undefined) {
      sets.push('engine_version = ?');
      params.push(patch.engineVersion);
    }
    if (patch.endMessage !== undefined) {
      sets.push('end_message = ?');
      params.push(wellFormed(patch.endMessage));
    }
    if (patch.status !== undefined) {
      checkStatus(patch.status);
      sets.push('status = ?');
      params.push(patch.status);
      if (patch.status === 'running') sets.push('started_at = coalesce(started_at, ?)', 'finished_at = NULL');
      else if (ENDED_STATUSES.includes(patch.status)) sets.push('finished_at = ?');
      else sets.push('finished_at = NULL');
      if (patch.status === 'running' || ENDED_STATUSES.includes(patch.status)) params.push(now);
    }
    const result = this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
    if (result.changes === 0) throw new StoreError('no-such-run', `run ${id} does not exist`);
  }

  /**
   * The config's JSON with a task's data replaced by null, that data kept in
   * datasets (once per distinct text), and its key; other configs unchanged.
   * Call inside a transaction.
   */
  private storeDataset(config: RunConfig): { config: string; dataset: string | null } {
    const field = DATA_FIELDS[config.task?.kind];
    const data: unknown = field === undefined ? undefined : (config.task as Record<string, unknown>)[field];
    if (typeof data !== 'string') return { config: JSON.stringify(config), dataset: null };
    const hash = createHash('sha256').update(data, 'utf8').digest('hex');
    this.db.prepare('INSERT INTO datasets (hash, data) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING').run(hash, data);
    return { config: JSON.stringify({ ...config, task: { ...config.task, [field]: null } }), dataset: hash };
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  progress(id: number): { lastStep: number | null; best: number | null } {
    const row = this.db
      .prepare<[number], { lastStep: number | null; best: number | null }>(
        'SELECT last_step AS lastStep, best_validation_loss AS best FROM runs WHERE id = ?',
      )
      .get(id);
    if (row === undefined) throw new StoreError('no-such-run', `run ${id} does not exist`);
    return row;
  }

  setProgress(id: number, lastStep: number | null, best: number | null, now: number): void {
    this.db.prepare('UPDATE runs SET last_step = ?, best_validation_loss = ?, updated_at = ? WHERE id = ?').run(lastStep, best, now, id);
  }

  /** The given runs (left active by a process that is gone) become 'interrupted'; returns their ids. */
  markInterrupted(ids: readonly number[], now: number): number[] {
    const mark = this.db
      .prepare<[number, number, number], number>(
        "UPDATE runs SET status = 'interrupted', finished_at = ?, updated_at = ?, " +
          "end_message = coalesce(end_message, 'the process training it stopped while the run was ' || status) " +
          'WHERE id = ? RETURNING id',
      )
      .pluck();
    return ids.flatMap((id) => mark.all(now, now, id)).sort((a, b) => a - b);
  }
}

function toSummary(row: Record<string, unknown>): RunSummary {
  const parsed = summaryRow.safeParse(row);
  if (!parsed.success) {
    throw new StoreError('bad-row', `run ${String(row.id)}: stored row has the wrong shape: ${z.prettifyError(parsed.error)}`);
  }
  const { tags, health, ...rest } = parsed.data;
  return {
    ...rest,
    tags: parseJson(tags, tagList, `run ${rest.id} tags`),
    health: health === null ? null : parseJson(health, healthSchema, `run ${rest.id} health`),
  };
}

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name.trim() === '') throw new StoreError('invalid-input', 'run name must be a non-empty string');
}

function checkStatus(status: unknown): asserts status is RunStatus {
  if (!RUN_STATUSES.includes(status as RunStatus)) {
    throw new StoreError('invalid-input', `run status '${String(status)}' is not one of ${RUN_STATUSES.join(', ')}`);
  }
}

function checkTags(tags: unknown): string[] {
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.trim() === '')) {
    throw new StoreError('invalid-input', 'tags must be an array of non-empty strings');
  }
  return [...new Set((tags as string[]).map(wellFormed))];
}

/**
 * Lone UTF-16 surrogates become U+FFFD: SQLite would store them as bytes
 * that are not UTF-8 (ED A0 80 for U+D800), which other readers reject.
 * Anything but a string passes through to SQLite's own type checks.
 */
function wellFormed<T>(text: T): T {
  // String.prototype.toWellFormed: in Node 20, not in TypeScript's ES2023 lib.
  return (typeof text === 'string' ? (text as unknown as { toWellFormed(): string }).toWellFormed() : text) as T;
}
