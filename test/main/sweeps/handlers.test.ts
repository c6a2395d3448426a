// The sweeps:* API calls with real worker processes and a real database
// file: checking a spec field by field, creating and running a sweep in
// the background, refusing a second process, stopping a sweep from another
// process, and deleting a sweep with or without its runs.

import { describe, expect, it } from 'vitest';
import type { ApiCalls } from '../../../common/contract';
import { invoke } from '../../../main/api/handlers';
import type { Workbench } from '../../../main/workbench';
import { benchPerTest } from '../runs/fixtures';

const { bench } = benchPerTest();

const base = {
  seed: 3,
  task: { kind: 'sine', channels: 2, T: 8 },
  model: { hidden: 6 },
  method: { kind: 'bptt' },
  training: { steps: 40, evalEvery: 5, snapshotEvery: 5, lr: 0.03 },
};
const spec = { name: 'lr', base, grid: { 'training.lr': [0.03, 0.01] }, seeds: [1, 2] };

async function call<K extends keyof ApiCalls>(wb: Workbench, channel: K, args: ApiCalls[K]['args']): Promise<ApiCalls[K]['result']> {
  const r = await invoke(wb.handlers, channel, args);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as ApiCalls[K]['result'];
}

/** Resolves once `done` holds, checked after each run change has been handled. */
function until(wb: Workbench, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      off();
      resolve();
    };
    const off = wb.manager.on('changed', () => setImmediate(check));
    check();
  });
}

describe('the sweeps API', () => {
  it('checks a spec and names every bad field, or counts its trials', async () => {
    const wb = bench();
    expect(await call(wb, 'sweeps:check', { spec })).toEqual({ issues: [], trials: 4 });
    const bad = await call(wb, 'sweeps:check', {
      spec: { name: '', base, random: { 'training.lr': { kind: 'logUniform', min: 0.1, max: 0.01 } } },
    });
    expect(bad).toEqual({
      trials: 0,
      issues: [
        { field: 'name', message: 'is empty' },
        { field: 'random["training.lr"].max', message: 'must be greater than min (0.1)' },
        { field: 'trials', message: 'is required with "random" (how many draws)' },
      ],
    });
    const refused = await invoke(wb.handlers, 'sweeps:create', { spec: { ...spec, grid: { 'training.lr': [-1] } }, start: false });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'invalid-sweep', message: 'grid["training.lr"][0]: training.lr: must be greater than 0' },
    });
    expect(await call(wb, 'sweeps:list', null)).toEqual([]);
  });

  it('creates and runs a sweep in the background, and reads it back trial by trial', async () => {
    const wb = bench();
    const created = await call(wb, 'sweeps:create', { spec, start: true });
    expect(created).toMatchObject({ name: 'lr', trials: 4, runBy: 'this process', params: ['training.lr', 'seed'], job: null });
    await until(wb, () => wb.store.sweeps.otherOwner(created.id) === null && (wb.store.sweeps.list()[0]?.completed ?? 0) === 4);
    await until(wb, () => wb.store.listRuns().every((r) => r.status === 'completed'));
    const got = await call(wb, 'sweeps:get', { id: created.id });
    expect(got.progress).toMatchObject({ total: 4, completed: 4, running: 0, failed: 0 });
    expect(got.trialList.map((t) => [t.params, t.outcome, t.run?.status, t.run?.lastStep])).toEqual([
      [{ 'training.lr': 0.03, seed: 1 }, 'completed', 'completed', 40],
      [{ 'training.lr': 0.03, seed: 2 }, 'completed', 'completed', 40],
      [{ 'training.lr': 0.01, seed: 1 }, 'completed', 'completed', 40],
      [{ 'training.lr': 0.01, seed: 2 }, 'completed', 'completed', 40],
    ]);
    const bests = got.trialList.map((t) => t.run!.bestValidationLoss!);
    expect(got.progress.best?.value).toBe(Math.min(...bests));
    await until(wb, () => true);
    expect((await call(wb, 'sweeps:list', null))[0]).toMatchObject({ id: created.id, completed: 4, runBy: null });
    await call(wb, 'sweeps:delete', { id: created.id, deleteRuns: false });
    expect(wb.store.listRuns().length).toBe(4); // kept as ordinary runs
    expect(await call(wb, 'sweeps:list', null)).toEqual([]);
  });

  it('refuses a sweep another process runs, which can stop it; deletes it when stopped, with or without its runs', async () => {
    const app = bench(undefined, 1);
    const cli = bench(app.databasePath, 1, { ownerLabel: 'rnn-workbench sweep' });
    const long = { ...spec, base: { ...base, training: { ...base.training, steps: 1_000_000 } } };
    const { id } = await call(cli, 'sweeps:create', { spec: long, start: true });
    await expect(call(app, 'sweeps:start', { id })).rejects.toThrow(new RegExp(`^sweep ${id} is being run by rnn-workbench sweep \\(pid`));
    expect((await call(app, 'sweeps:get', { id })).runBy).toMatch(/^rnn-workbench sweep \(pid \d+ on .+\)$/);
    await expect(call(app, 'sweeps:delete', { id, deleteRuns: true })).rejects.toThrow(
      new RegExp(`^sweep ${id} is running in rnn-workbench sweep \\(pid \\d+ on .+\\): stop it first$`),
    );
    await until(cli, () => cli.store.listRuns().some((r) => r.status === 'running'));
    await call(app, 'sweeps:stop', { id }); // through the run owners: the other process stops its trial runs
    await until(cli, () => cli.store.sweeps.otherOwner(id) === null && cli.store.listRuns().every((r) => r.status !== 'running'));
    await until(cli, () => app.store.sweeps.otherOwner(id) === null);
    const stopped = await call(app, 'sweeps:get', { id });
    expect(stopped.runBy).toBeNull();
    expect(stopped.trialList.every((t) => t.outcome === null)).toBe(true); // left open, to resume
    expect(app.store.listRuns().length).toBe(4);

    await call(app, 'sweeps:delete', { id, deleteRuns: true });
    expect(app.store.listRuns()).toEqual([]);
    await expect(call(app, 'sweeps:get', { id })).rejects.toThrow(`sweep ${id} does not exist`);
  });
});
