// A workbench on a temporary database whose runs are trained in-process by
// the engine's Trainer (no worker processes), and byte-level comparisons.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Checkpoint, RunConfig, RunRecord } from '../../../common/contract';
import { invoke } from '../../../main/api/handlers';
import { openWorkbench, type Workbench } from '../../../main/workbench';
import { parseConfig } from '../../../native-worker/config';
import { Trainer } from '../../../native-worker/trainer';

export interface Bench extends Workbench {
  dir: string;
  /** Calls a channel through invoke(), as every transport does; throws on { ok: false }. */
  call(channel: string, args: unknown): Promise<unknown>;
  /** Calls a channel and returns the error it must fail with. */
  fail(channel: string, args: unknown): Promise<{ code: string; message: string }>;
  dispose(): Promise<void>;
}

export function bench(): Bench {
  const dir = mkdtempSync(join(tmpdir(), 'transfer-'));
  const wb = openWorkbench({
    databasePath: join(dir, 'workbench.db'),
    spawn: () => {
      throw new Error('these tests train in-process; no worker should start');
    },
  });
  return Object.assign(wb, {
    dir,
    async call(channel: string, args: unknown) {
      const r = await invoke(wb.handlers, channel, args);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    async fail(channel: string, args: unknown) {
      const r = await invoke(wb.handlers, channel, args);
      if (r.ok) throw new Error(`${channel} succeeded; it should have failed`);
      return r.error;
    },
    async dispose() {
      await wb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export const smallConfig = (extra: Record<string, unknown> = {}): RunConfig =>
  parseConfig({
    seed: 7,
    task: { kind: 'sine', channels: 2, T: 12, validationSequences: 2 },
    model: { hidden: 5 },
    method: { kind: 'bptt' },
    training: { steps: 30, evalEvery: 10, snapshotEvery: 10 },
    ...extra,
  });

/** Creates a run and trains it for its configured steps in this process, storing everything a worker would. */
export function trainedRun(wb: Workbench, config: RunConfig, name = 'trained run'): RunRecord {
  const run = wb.store.createRun({ name, config, appVersion: 'test', engineVersion: '0.1.0', tags: ['t1'], notes: 'a note' });
  const trainer = new Trainer(config);
  const { evalEvery, snapshotEvery } = config.training;
  wb.store.saveCheckpoint(run.id, trainer.checkpoint());
  while (!trainer.done) {
    const steps = [trainer.runStep()];
    const evals = trainer.step % evalEvery === 0 ? [trainer.evaluate()] : [];
    const checkpoints = trainer.step % snapshotEvery === 0 || trainer.done ? [trainer.checkpoint()] : [];
    wb.store.appendProgress(run.id, { steps, evals, checkpoints });
  }
  wb.store.updateRun(run.id, { status: 'completed', endMessage: null });
  return wb.store.getRun(run.id)!;
}

/** The float64 bytes of a matrix: equal bytes mean bit-identical values (-0 and NaN payloads included). */
export function bits(values: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('hex');
}

/** Bytes of every matrix of a checkpoint, by name. */
export function weightBits(c: Checkpoint, round32 = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, m] of Object.entries(c.weights)) {
    out[name] = bits(round32 ? Array.from(m.data, Math.fround) : m.data);
  }
  return out;
}

/**
 * Every table's row count and the AUTOINCREMENT counters, read through a
 * second connection: a refused import must leave all of them as they were
 * (even a run created and deleted again would move the counter).
 */
export function fingerprint(wb: Workbench): Record<string, number> {
  const db = new Database(wb.databasePath, { readonly: true });
  try {
    const out: Record<string, number> = {};
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    for (const { name } of tables) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
    for (const r of db.prepare<[], { name: string; seq: number }>('SELECT name, seq FROM sqlite_sequence').all())
      out[`seq:${r.name}`] = r.seq;
    return out;
  } finally {
    db.close();
  }
}
