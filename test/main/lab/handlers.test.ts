// The lab's API calls through invoke(), as every transport makes them, on
// runs trained by real workers: arguments checked before anything runs,
// the size guard, each job's numbers as the engine gives them, referee
// tables kept with the run, a job cancelled while it runs, and the cap on
// jobs at once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabInspect, LabReplay, StoredReferee } from '../../../common/contract';
import { invoke } from '../../../main/api/handlers';
import { inspectSnapshot } from '../../../native-worker/engine/lab/index';
import { testWorkbench, waitFor, type TestBench } from '../../support/workbench';

let wb: TestBench;
let runId: number;
beforeAll(async () => {
  wb = testWorkbench();
  const r = wb.handlers['runs:create']({
    config: {
      seed: 3,
      task: { kind: 'sine', channels: 1, T: 8, validationSequences: 1 },
      model: { hidden: 4 },
      method: { kind: 'bptt' },
      training: { steps: 12, snapshotEvery: 5, evalEvery: 5 },
    },
    name: 'lab',
    tags: [],
    notes: '',
    start: true,
  });
  runId = (await r).id;
  await waitFor(wb, runId, ['completed']);
}, 60_000);
afterAll(() => wb.close());

const ok = async <T>(channel: string, args: unknown): Promise<T> => {
  const r = await invoke(wb.handlers, channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const failure = async (channel: string, args: unknown) => {
  const r = await invoke(wb.handlers, channel, args);
  if (r.ok) throw new Error(`${channel} succeeded`);
  return r.error;
};

describe('the lab API', () => {
  it('checks its arguments, naming the field', async () => {
    expect(await failure('lab:inspect', { id: runId, step: null })).toEqual({
      code: 'invalid-argument',
      message: expect.stringMatching(/^lab:inspect: job: /),
    });
    expect((await failure('lab:replay', { id: runId, step: 0, job: 'x' })).message).toMatch(/^lab:replay: step: /);
    expect((await failure('lab:cancel', { job: '' })).message).toMatch(/^lab:cancel: job: /);
    expect(await failure('lab:referees', { id: 999 })).toMatchObject({ code: 'no-such-run' });
    expect(await failure('lab:inspect', { id: runId, step: null, job: 'j', more: 1 })).toMatchObject({ code: 'invalid-argument' });
  });

  it('inspects the snapshot at or before a step with the engine’s numbers, in a worker', async () => {
    const spawned = wb.channels.length;
    const report = await ok<LabInspect>('lab:inspect', { id: runId, step: 7, job: 'i1' });
    expect(wb.channels.length).toBe(spawned + 1);
    expect(report.step).toBe(5);
    const run = wb.store.getRun(runId)!;
    expect(report).toEqual(inspectSnapshot(run.config, wb.store.checkpointAt(runId, 5)!));
    expect((await ok<LabInspect>('lab:inspect', { id: runId, step: null, job: 'i1' })).step).toBe(12);
  });

  it('runs the referee, stores its table with the run, and lists it', async () => {
    expect(await ok('lab:referees', { id: runId })).toEqual([]);
    const stored = await ok<StoredReferee>('lab:referee', { id: runId, step: 10, job: 'r' });
    expect(stored).toMatchObject({ runId, step: 10, T: 8, B: 1 });
    const rtrlBptt = stored.pairs.find((p) => p.a === 'rtrl' && p.b === 'bptt')!;
    for (const m of ['U', 'W', 'V'] as const) expect(rtrlBptt.relativeError[m]).toBeLessThan(1e-10);
    expect(await ok('lab:referees', { id: runId })).toEqual([stored]);
  });

  it('replays a stored step bit for bit, and says which step is missing', async () => {
    const r = await ok<LabReplay>('lab:replay', { id: runId, step: 8, job: 'p' });
    expect(r).toMatchObject({ step: 8, from: 5, equal: true, differences: [] });
    expect(r.stored).toEqual(wb.store.readSteps(runId, 8, 8)[0]);
    expect(r.sensitivityW).toMatchObject({ rows: 4, cols: 16 });
    expect(r.deltas).toMatchObject({ rows: 8, cols: 4 });
    expect(await failure('lab:replay', { id: runId, step: 13, job: 'p' })).toEqual({
      code: 'no-step',
      message: `run ${runId} has no stored step 13 (its last step is 12)`,
    });
  });

  it('refuses a job too large for the app before it starts a worker, with the sizes', async () => {
    const big = await wb.handlers['runs:create']({
      config: { task: { kind: 'sine', T: 100 }, model: { hidden: 96 }, method: { kind: 'bptt' } },
      name: 'big',
      tags: [],
      notes: '',
      start: false,
    });
    const spawned = wb.channels.length;
    const e = await failure('lab:referee', { id: big.id, step: null, job: 'big' });
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(
      /^the referee would take about \d+ G multiply-adds here \(d = 96, T = 100\), over the app's limit of 2\.0 G; `rnn-workbench inspect`/,
    );
    expect(wb.channels.length).toBe(spawned);
    // a run without a snapshot yet, small enough
    const fresh = await wb.handlers['runs:create']({ config: { model: { hidden: 3 } }, name: 'fresh', tags: [], notes: '', start: false });
    expect(await failure('lab:inspect', { id: fresh.id, step: null, job: 'f' })).toEqual({
      code: 'no-snapshot',
      message: `run ${fresh.id} has no snapshot`,
    });
  });

  it('cancels a running job: its worker is killed and the call fails with "cancelled"', async () => {
    const pending = invoke(wb.handlers, 'lab:referee', { id: runId, step: null, job: 'c' });
    expect(await failure('lab:referee', { id: runId, step: null, job: 'c' })).toMatchObject({ code: 'busy' });
    expect(await ok('lab:cancel', { job: 'c' })).toBe(true);
    expect(await pending).toEqual({ ok: false, error: { code: 'cancelled', message: 'lab job "c" was cancelled' } });
    expect(await ok('lab:cancel', { job: 'c' })).toBe(false);
    expect(await ok<StoredReferee[]>('lab:referees', { id: runId })).toHaveLength(1);
    const worker = wb.channels.at(-1)!;
    expect(worker.pid).not.toBeNull();
    expect(() => process.kill(worker.pid!, 0)).toThrow(/ESRCH/);
  });

  it('runs at most one job per part of a view at once (three), and says so to a fourth', async () => {
    const pending = ['a', 'b', 'c'].map((job) => invoke(wb.handlers, 'lab:inspect', { id: runId, step: null, job }));
    expect(await failure('lab:inspect', { id: runId, step: null, job: 'd' })).toEqual({
      code: 'busy',
      message: '3 lab computations are running already; wait for one to finish or cancel it',
    });
    for (const job of ['a', 'b', 'c']) expect(await ok('lab:cancel', { job })).toBe(true);
    for (const r of await Promise.all(pending)) expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});
