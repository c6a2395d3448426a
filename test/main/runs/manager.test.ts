// The run lifecycle against real worker processes and a real database file.

import { describe, expect, it } from 'vitest';
import type { HostToWorker, WorkerToHost } from '../../../common/contract';
import { lrChanges } from '../../../common/lr-changes';
import { ENGINE_VERSION } from '../../../native-worker/engine-api';
import { waitFor, waitForStep } from '../../support/workbench';
import { benchPerTest, config, train, uninterruptedWeights, weightsOf } from './fixtures';

const { bench, forget } = benchPerTest();

describe('run manager', () => {
  it('N steps, then resumed to 2N, gives bit-identical weights to an uninterrupted 2N-step run', async () => {
    const wb = bench();
    const whole = await train(wb, config(60));
    const half = await train(wb, config(30));
    const before = wb.store.getRun(half)!;
    expect(before.status).toBe('completed');
    await wb.manager.resume(half, 60);
    const after = await waitFor(wb, half, ['completed', 'failed', 'crashed']);
    expect(after.status).toBe('completed');
    expect(after.id).toBe(half); // the same run, its step count continued
    expect(after.lastStep).toBe(60);
    // the engine that trained it: its version and the kernels its worker chose
    expect(after.engineVersion).toMatch(new RegExp(`^${ENGINE_VERSION.replaceAll('.', '\\.')} \\((native|wasm-fma|wasm|ts) kernels\\)$`));
    expect(weightsOf(wb, half)).toEqual(weightsOf(wb, whole));
    expect(wb.store.readSteps(half, 1, 60).map((s) => s.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(wb.store.readSteps(half, 1, 60).map((s) => s.loss)).toEqual(wb.store.readSteps(whole, 1, 60).map((s) => s.loss));
  });

  it('a stop mid-run keeps everything, and resume finishes it bit-identically', async () => {
    const wb = bench();
    // far too long to end before the stop arrives; resumed to a total of k + 30 steps after stopping at k
    const run = wb.manager.create({ config: config(1e9), name: 'stopped one' });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 20);
    const stopped = await wb.manager.stop(run.id);
    expect(stopped.status).toBe('stopped');
    const k = stopped.lastStep!;
    expect(k).toBeGreaterThanOrEqual(20);
    expect(wb.store.latestCheckpoint(run.id)!.step).toBe(k);
    const whole = uninterruptedWeights(config(k + 30));
    await wb.manager.resume(run.id, k + 30);
    expect((await waitFor(wb, run.id, ['completed', 'failed'])).status).toBe('completed');
    expect(weightsOf(wb, run.id)).toEqual(whole);
  });

  it('a stop while the worker is still starting: the run never trains, and stays startable', async () => {
    const wb = bench();
    const run = wb.manager.create({ config: config(1e9), name: null });
    wb.manager.start(run.id);
    // the worker has not said it is ready yet: a stop sent to it now would find no run and be lost
    const stopped = await wb.manager.stop(run.id);
    expect(stopped).toMatchObject({ status: 'created', lastStep: null });
    expect(wb.manager.activeIds).toEqual([]);
    expect(wb.store.readSteps(run.id, 0, 1000)).toEqual([]);
  });

  it('a stop that arrives after the run ended on its own returns the run as it ended', async () => {
    const wb = bench();
    const run = wb.manager.create({ config: config(40), name: null });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 1);
    // hold the stop back until the worker has reported the end of the run
    const channel = wb.channels.at(-1)!;
    const send = channel.send.bind(channel);
    let ended = false,
      held: HostToWorker | null = null;
    channel.onMessage((m) => {
      if ((m as WorkerToHost).type !== 'ended') return;
      ended = true;
      if (held) send(held);
    });
    channel.send = (m) => (m.type === 'stop' && !ended ? (held = m) : send(m));
    const after = await wb.manager.stop(run.id);
    expect(held).not.toBeNull();
    expect(after.status).toBe('completed');
    expect(after.lastStep).toBe(40);
  });

  it('SIGKILL of the worker mid-run: crashed, every batch written is kept, and it resumes', async () => {
    const wb = bench();
    const whole = uninterruptedWeights(config(300));
    const run = wb.manager.create({ config: config(300), name: 'victim' });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 40);
    const victim = wb.channels.at(-1)!;
    process.kill(victim.pid!, 'SIGKILL');
    const crashed = await waitFor(wb, run.id, ['crashed']);
    expect(crashed.endMessage).toMatch(/died \(signal SIGKILL\)/);
    const last = crashed.lastStep!;
    expect(last).toBeGreaterThanOrEqual(40);
    expect(wb.store.readSteps(run.id, 1, last).map((s) => s.step)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    const snap = wb.store.latestCheckpoint(run.id)!.step;
    expect(snap % 10).toBe(0);
    await wb.manager.resume(run.id);
    expect((await waitFor(wb, run.id, ['completed', 'failed', 'crashed'])).status).toBe('completed');
    expect(weightsOf(wb, run.id)).toEqual(whole);
  });

  it('pauses and resumes a live run, and changes its learning rate', async () => {
    const wb = bench();
    const run = wb.manager.create({ config: config(100_000), name: null });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 5);
    expect((await wb.manager.pause(run.id)).status).toBe('paused');
    await wb.manager.setLr(run.id, 0.001);
    // the change is kept as a snapshot at the step it applies after: where the run paused
    const changes = () => lrChanges(run.config.training.lr, wb.store.listSnapshots(run.id));
    await expect.poll(() => changes().length).toBe(1);
    expect(changes()).toEqual([{ step: wb.store.getRun(run.id)!.lastStep, lr: 0.001 }]);
    expect((await wb.manager.resume(run.id)).status).toBe('running');
    await waitForStep(wb, run.id, (wb.store.getRun(run.id)!.lastStep ?? 0) + 5);
    const end = await wb.manager.stop(run.id);
    expect(end.status).toBe('stopped');
    expect(wb.store.latestCheckpoint(run.id)!.baseLr).toBe(0.001);
    // a fork without a config of its own goes on at the rate set live, in its config too
    const fork = wb.manager.fork({ id: run.id, step: null, config: null, name: null });
    expect([fork.config.training.lr, wb.store.latestCheckpoint(fork.id)!.baseLr]).toEqual([0.001, 0.001]);
  });

  it('queues runs beyond the concurrency limit and runs them all', async () => {
    const wb = bench(undefined, 2);
    const ids = [1, 2, 3].map((i) => wb.manager.create({ config: config(20, { seed: i }), name: null }).id);
    const states = ids.map((id) => wb.manager.start(id).status);
    expect(states).toEqual(['running', 'running', 'queued']);
    for (const id of ids) expect((await waitFor(wb, id, ['completed'])).status).toBe('completed');
  });

  it('forks a run from a snapshot with a changed optimizer', async () => {
    const wb = bench();
    const src = await train(wb, config(40));
    const fork = wb.manager.fork({
      id: src,
      step: 20,
      config: { ...config(40), training: { ...config(40).training, optimizer: { kind: 'sgd' }, lr: 0.05 } },
      name: null,
    });
    expect(fork.parentRunId).toBe(src);
    expect(fork.parentStep).toBe(20);
    wb.manager.start(fork.id);
    const done = await waitFor(wb, fork.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(wb.store.readSteps(fork.id, 0, 40)[0].step).toBe(21);
    expect(() =>
      wb.manager.fork({ id: src, step: 20, config: { ...config(40), model: { ...config(40).model, hidden: 7 } }, name: null }),
    ).toThrow(/a fork keeps the model's shape/);
  });

  it('marks runs a dead process left running as interrupted, and they resume', async () => {
    const wb = bench();
    const run = wb.manager.create({ config: config(30), name: null });
    wb.store.updateRun(run.id, { status: 'running' }); // as a killed app would leave it
    const path = wb.databasePath;
    await wb.close();
    forget(wb);
    const again = bench(path);
    expect(again.store.getRun(run.id)!.status).toBe('interrupted');
    await again.manager.resume(run.id);
    expect((await waitFor(again, run.id, ['completed'])).status).toBe('completed');
  });

  it('refuses bad configs and unknown runs with clear errors', () => {
    const wb = bench();
    expect(() => wb.manager.create({ config: { training: { lr: -1 } }, name: null })).toThrow(/training\.lr: must be greater than 0/);
    expect(() => wb.manager.create({ config: { task: { kind: 'csv', csv: 'a,b\n1,x\n' } }, name: null })).toThrow(
      /task\.csv: 1 data row is too few/,
    );
    expect(() => wb.manager.start(999)).toThrow(/run 999 does not exist/);
    expect(() => wb.manager.create({ config: { model: { hidden: 512 }, task: { kind: 'sine', channels: 64 } }, name: null })).toThrow(
      /model.hidden: exact RTRL with d = 512, m = 64 needs .* over the limit/,
    );
  });
});
