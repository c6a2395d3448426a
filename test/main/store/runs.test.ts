import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GradCheckReport } from '../../../common/contract';
import { Store } from '../../../main/store/store';
import { config, makeCheckpoint, makeEval, makeSteps, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
let clock = 1_000;
beforeEach(() => {
  tmp = tempDir();
  clock = 1_000;
  store = Store.open(tmp.file('runs.db'), { now: () => clock });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const newRun = (name: string, extra: Partial<Parameters<Store['createRun']>[0]> = {}) =>
  store.createRun({ name, config, appVersion: '0.1.0', ...extra });

describe('runs', () => {
  it('creates a run and reads it back with its config', () => {
    const run = newRun('first', { tags: ['sine', 'baseline', 'sine'], notes: 'hello', engineVersion: 'e1' });
    expect(run).toEqual({
      id: run.id,
      name: 'first',
      status: 'created',
      taskKind: 'sine',
      methodKind: 'rtrl',
      seed: 42,
      engineVersion: 'e1',
      appVersion: '0.1.0',
      createdAt: 1_000,
      startedAt: null,
      updatedAt: 1_000,
      finishedAt: null,
      tags: ['sine', 'baseline'],
      notes: 'hello',
      parentRunId: null,
      parentStep: null,
      lastStep: null,
      bestValidationLoss: null,
      endMessage: null,
      health: null,
      hidden: config.model.hidden,
      batchSize: config.training.batchSize,
      totalSteps: config.training.steps,
      config,
    });
    expect(store.getRun(run.id + 1)).toBeNull();
  });

  it('refuses a bad name, tag, status or config, naming what is wrong', () => {
    expect(() => newRun('  ')).toThrow(/name must be a non-empty string/);
    expect(() => newRun('x', { tags: [''] })).toThrow(/tags must be an array of non-empty strings/);
    expect(() => newRun('x', { status: 'done' as 'created' })).toThrow(/run status 'done'/);
    expect(() => store.createRun({ name: 'x', config: { ...config, seed: 1.5 }, appVersion: '0' })).toThrow(/seed/);
    expect(() => newRun('x', { parentRunId: 77, parentStep: 3 })).toThrow(/parent run 77 does not exist/);
  });

  it('stores lone UTF-16 surrogates in names, notes, tags and end messages as U+FFFD, so the file holds valid UTF-8', () => {
    const run = newRun('a\uD800b', { notes: 'n\uDC00', tags: ['t\uDBFF'] });
    store.updateRun(run.id, { endMessage: 'e\uD83D', name: 'x\uDFFF' });
    const db = new Database(tmp.file('runs.db'), { readonly: true });
    const row = db
      .prepare('SELECT hex(name) AS name, hex(notes) AS notes, hex(tags) AS tags, hex(end_message) AS endMessage FROM runs')
      .get();
    db.close();
    const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();
    expect(row).toEqual({ name: hex('x\uFFFD'), notes: hex('n\uFFFD'), tags: hex('["t\uFFFD"]'), endMessage: hex('e\uFFFD') });
    expect(store.getRun(run.id)).toMatchObject({ name: 'x\uFFFD', notes: 'n\uFFFD', tags: ['t\uFFFD'], endMessage: 'e\uFFFD' });
  });

  it('moves startedAt and finishedAt with the status', () => {
    const run = newRun('life');
    clock = 2_000;
    expect(store.updateRun(run.id, { status: 'running' })).toMatchObject({ startedAt: 2_000, finishedAt: null, updatedAt: 2_000 });
    clock = 3_000;
    store.updateRun(run.id, { status: 'paused' });
    expect(store.updateRun(run.id, { status: 'running' })).toMatchObject({ startedAt: 2_000, finishedAt: null });
    clock = 4_000;
    const done = store.updateRun(run.id, { status: 'diverged', endMessage: 'loss became NaN at step 12' });
    expect(done).toMatchObject({ status: 'diverged', finishedAt: 4_000, endMessage: 'loss became NaN at step 12' });
    expect(store.updateRun(run.id, { name: 'renamed', tags: ['a'], notes: 'n' })).toMatchObject({
      name: 'renamed',
      tags: ['a'],
      notes: 'n',
      status: 'diverged',
    });
    expect(() => store.updateRun(9_999, { name: 'ghost' })).toThrow(/run 9999 does not exist/);
  });

  it('lists newest first and filters by status, tag, search text and parent', () => {
    const a = newRun('alpha 100%', { tags: ['x'] });
    clock = 2_000;
    const b = newRun('beta', { tags: ['x', 'y'], notes: 'uses momentum' });
    clock = 3_000;
    const c = newRun('gamma', { parentRunId: a.id, parentStep: 10, status: 'queued' });
    const ids = (runs: { id: number }[]) => runs.map((r) => r.id);
    expect(ids(store.listRuns())).toEqual([c.id, b.id, a.id]);
    expect(ids(store.listRuns({ status: ['queued'] }))).toEqual([c.id]);
    expect(ids(store.listRuns({ status: [] }))).toEqual([]);
    expect(ids(store.listRuns({ tag: 'x' }))).toEqual([b.id, a.id]);
    expect(ids(store.listRuns({ tag: 'y' }))).toEqual([b.id]);
    expect(ids(store.listRuns({ search: 'MOMENTUM' }))).toEqual([b.id]);
    expect(ids(store.listRuns({ search: '100%' }))).toEqual([a.id]);
    expect(ids(store.listRuns({ search: '_' }))).toEqual([]);
    expect(ids(store.listRuns({ parentRunId: a.id }))).toEqual([c.id]);
    expect(ids(store.listRuns({ limit: 1, offset: 1 }))).toEqual([b.id]);
    expect(store.listRuns()[0]).not.toHaveProperty('config');
  });

  it('lists hundreds of runs', () => {
    for (let i = 0; i < 300; i++) newRun(`run ${i}`, { tags: [i % 2 === 0 ? 'even' : 'odd'] });
    expect(store.listRuns()).toHaveLength(300);
    expect(store.listRuns({ tag: 'even' })).toHaveLength(150);
  });

  it('marks runs a dead process left queued, running or paused as interrupted', () => {
    const statuses = ['created', 'queued', 'running', 'paused', 'completed', 'failed'] as const;
    const runs = statuses.map((status) => newRun(status, { status }));
    clock = 9_000;
    const interrupted = store.markInterrupted();
    expect(interrupted).toEqual([runs[1].id, runs[2].id, runs[3].id]);
    const after = runs.map((r) => store.getRun(r.id));
    expect(after.map((r) => r?.status)).toEqual(['created', 'interrupted', 'interrupted', 'interrupted', 'completed', 'failed']);
    expect(after[2]).toMatchObject({ finishedAt: 9_000, endMessage: 'the process training it stopped while the run was running' });
    expect(store.markInterrupted()).toEqual([]);
  });

  it('deletes a run with everything it owns, leaving children with a dangling parent step', () => {
    const parent = newRun('parent');
    store.appendProgress(parent.id, { steps: makeSteps(1, 1500), evals: [makeEval(100, 0.5)], checkpoints: [makeCheckpoint(100)] });
    store.saveGradCheck(parent.id, {
      rtrlVsBptt: { W: 1e-12 },
      rtrlVsFiniteDiff: {},
      bpttVsFiniteDiff: {},
      checked: { W: 9 },
      worst: 1e-12,
      step: 100,
    });
    const child = newRun('child', { parentRunId: parent.id, parentStep: 100 });
    expect(store.deleteRun(parent.id)).toBe(true);
    expect(store.deleteRun(parent.id)).toBe(false);
    expect(store.getRun(parent.id)).toBeNull();
    expect(store.getRun(child.id)).toMatchObject({ parentRunId: null, parentStep: 100 });
    store.close();
    const db = new Database(tmp.file('runs.db'), { readonly: true });
    for (const table of ['metric_chunks', 'evals', 'snapshots', 'snapshot_matrices', 'snapshot_optimizer_buffers', 'grad_checks']) {
      expect({ table, rows: db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() }).toEqual({ table, rows: 0 });
    }
    db.close();
    store = Store.open(tmp.file('runs.db'));
  });

  it('stores gradient-check reports, non-finite errors included', () => {
    const run = newRun('gc');
    const report: GradCheckReport = {
      rtrlVsBptt: { U: 1e-13, W: 2e-12, V: 0 },
      rtrlVsFiniteDiff: { U: 3e-9, W: Number.NaN, V: Number.POSITIVE_INFINITY },
      bpttVsFiniteDiff: { U: 3e-9, W: 4e-9, V: 1e-9 },
      checked: { U: 6, W: 9, V: 6 },
      worst: Number.NaN,
      step: 12,
    };
    const id = store.saveGradCheck(run.id, report);
    expect(store.listGradChecks(run.id)).toEqual([{ ...report, id, runId: run.id, createdAt: 1_000 }]);
    expect(() => store.saveGradCheck(run.id + 1, report)).toThrow(/does not exist/);
  });
});
