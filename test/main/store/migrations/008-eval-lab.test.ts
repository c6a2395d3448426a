// Migration 008 and the store's `lab` column: evals written before it read
// back without lab numbers, new ones keep every number (NaN on masked
// steps, an infinite flow, the alignment per matrix) exactly, and a bad
// value is refused with a message naming the field, by the store and by
// the column's own CHECK.

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvalLab, EvalMetrics } from '../../../../common/contract';
import { migrate, userVersion } from '../../../../main/store/migrate';
import { MIGRATIONS } from '../../../../main/store/migrations/index';
import { migration008 } from '../../../../main/store/migrations/008-eval-lab';
import { Store } from '../../../../main/store/store';
import { config, makeEval, makeSteps, tempDir } from '../fixtures';

/** The versions before and after this migration, wherever the list puts it. */
const after = migration008.version;
const before = after - 1;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

const lab = (): EvalLab => ({
  flow: [1, 0.5, Number.POSITIVE_INFINITY],
  probeLoss: [Number.NaN, 0.25, 1e-300],
  probeMask: [0, 1, 1],
  probeText: { target: '·ab', output: '·ba' },
  alignment: { step: 4, cosine: { all: 0.9, U: 0.8, W: -0.1, V: 1 }, normRatio: { all: 1.5, U: 0, W: Number.POSITIVE_INFINITY, V: 1 } },
});
const withLab = (step: number, l: unknown = lab()): EvalMetrics => ({ ...makeEval(step, 0.5), lab: l as EvalLab });

describe('migration 008 (evals keep the gradient lab)', () => {
  it('is the last migration in the list', () => {
    expect(MIGRATIONS[MIGRATIONS.length - 1]).toBe(migration008);
  });

  it('keeps an older eval readable without lab numbers, and stores new ones beside it', () => {
    const file = tmp.file('old.db');
    const db = new Database(file);
    migrate(db, MIGRATIONS, before);
    db.prepare(
      "INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) VALUES ('r', 'completed', ?, 'sine', 'bptt', 1, '0.1.0', 0, 0)",
    ).run(JSON.stringify(config));
    db.prepare(
      'INSERT INTO evals (run_id, step, validation_loss, histograms, probe_t, probe_d, probe_n, probe_hidden, probe_outputs, ' +
        "probe_targets, eigenvalues) VALUES (1, 0, 0.25, '{\"weights\":{},\"grads\":{}}', 0, 2, 1, x'', x'', x'', x'')",
    ).run();
    migrate(db, MIGRATIONS, after);
    expect(userVersion(db)).toBe(after);
    db.close();
    const store = Store.open(file);
    try {
      expect(store.evalAt(1, 0)!.validationLoss).toBe(0.25);
      expect(store.evalAt(1, 0)).not.toHaveProperty('lab');
      store.appendProgress(1, { steps: makeSteps(1, 5), evals: [withLab(5)], checkpoints: [] });
      const back = store.evalAt(1, 5)!.lab!;
      expect(back.flow).toEqual([1, 0.5, Number.POSITIVE_INFINITY]);
      expect(back.probeLoss[0]).toBeNaN();
      expect(back.probeLoss.slice(1)).toEqual([0.25, 1e-300]);
      expect(back).toEqual({ ...lab(), probeLoss: back.probeLoss });
    } finally {
      store.close();
    }
  });

  it('refuses a lab with a missing field or a probe loss of the wrong length, naming the field', () => {
    const store = Store.open(tmp.file('new.db'));
    const id = store.createRun({ name: 'r', config, appVersion: '0.1.0' }).id;
    const { flow: _f, ...noFlow } = lab();
    expect(() => store.appendProgress(id, { steps: [], evals: [withLab(1, noFlow)], checkpoints: [] })).toThrow(/evals\[0\]: lab: .*flow/s);
    expect(() => store.appendProgress(id, { steps: [], evals: [withLab(1, { ...lab(), probeLoss: [1] })], checkpoints: [] })).toThrow(
      /lab\.probeLoss has 1 values, expected T = 3/,
    );
    expect(store.listEvalSteps(id)).toEqual([]);
    store.close();
  });

  it('has the column refuse JSON without a flow array', () => {
    const db = new Database(tmp.file('check.db'));
    migrate(db, MIGRATIONS);
    db.prepare(
      "INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) VALUES ('r', 'completed', '{}', 'sine', 'bptt', 1, '0', 0, 0)",
    ).run();
    const insert = (labText: string) =>
      db
        .prepare(
          'INSERT INTO evals (run_id, step, validation_loss, histograms, probe_t, probe_d, probe_n, probe_hidden, probe_outputs, ' +
            "probe_targets, eigenvalues, lab) VALUES (1, 1, 0.25, '{}', 0, 2, 1, x'', x'', x'', x'', ?)",
        )
        .run(labText);
    expect(() => insert('{"flow": 3}')).toThrow(/CHECK/);
    expect(() => insert('not json')).toThrow(/CHECK|JSON/);
    db.close();
  });
});
