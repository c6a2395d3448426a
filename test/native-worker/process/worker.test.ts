// The worker entry over its message contract, run the three ways the
// product runs it: a Node child process (CLI), a worker thread, and a
// process with Electron's `parentPort` (the desktop app's utility process).

import { afterEach, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../common/contract';
import type { WorkerHost } from '../../../main/worker-host/host';
import { parseConfig } from '../../../native-worker/config';
import { Trainer } from '../../../native-worker/trainer';
import { runToEnd, startWorker, type Way } from '../../support/workers';

const hosts: WorkerHost[] = [];
const start = (way: Way): WorkerHost => {
  const h = startWorker(way);
  hosts.push(h);
  return h;
};
afterEach(() => {
  while (hosts.length) hosts.pop()!.kill();
});

const config: RunConfig = parseConfig({
  seed: 42,
  task: { kind: 'sine', channels: 2, T: 12, validationSequences: 2 },
  model: { hidden: 6, hiddenBias: true },
  method: { kind: 'rtrl' },
  training: { steps: 40, lr: 0.01, evalEvery: 10, snapshotEvery: 20 },
});

const flat = (w: Record<string, { data: ArrayLike<number> } | undefined>) =>
  Object.keys(w)
    .sort()
    .flatMap((k) => Array.from(w[k]!.data));

describe('training worker', () => {
  it('gives bit-identical weights for the same seed in-process and all three ways of hosting it', async () => {
    const direct = new Trainer(config);
    while (!direct.done) direct.runStep();
    const expected = flat(direct.checkpoint().weights);
    for (const way of ['child-process', 'worker-thread', 'electron-parent-port'] as const) {
      const { ended, progress } = await runToEnd(start(way), config);
      expect(ended.reason, way).toBe('completed');
      expect(ended.step).toBe(40);
      expect(flat(ended.checkpoint!.weights), way).toEqual(expected);
      expect(Object.is(flat(ended.checkpoint!.weights)[0], expected[0])).toBe(true);
      // Batches arrive numbered without gaps, with every step exactly once.
      expect(progress.map((p) => p.batch)).toEqual(progress.map((_, i) => i));
      expect(progress.flatMap((p) => p.steps.map((s) => s.step))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(progress.flatMap((p) => p.evals.map((e) => e.step))).toEqual([0, 10, 20, 30, 40]);
      // step 0: a new run is resumable from its first batch on
      expect(progress.flatMap((p) => p.checkpoints.map((c) => c.step))).toEqual([0, 20]);
    }
  });

  it("gives the same bits when two runs in worker threads of one process share the native kernels' helper thread", async () => {
    // big enough for both-core products and recurrences (d² ≥ 2¹⁷ a step): one run gets the helper,
    // the other computes those on its own thread meanwhile, which must not change a bit
    const big = parseConfig({
      seed: 3,
      task: { kind: 'sine', channels: 3, T: 20, validationSequences: 1 },
      model: { hidden: 384 },
      method: { kind: 'bptt' },
      // its loss grows ×1e27 in 12 steps: what is compared is bits, so the run must not end diverged
      training: { steps: 12, lr: 0.01, optimizer: { kind: 'sgd' }, evalEvery: 6, snapshotEvery: 0, divergenceFactor: null },
    });
    const alone = new Trainer(big);
    while (!alone.done) alone.runStep();
    const expected = flat(alone.checkpoint().weights);
    const both = await Promise.all([runToEnd(start('worker-thread'), big), runToEnd(start('worker-thread'), big)]);
    for (const { ended } of both) {
      expect(ended.reason).toBe('completed');
      expect(flat(ended.checkpoint!.weights)).toEqual(expected);
    }
  });

  it('pauses, resumes, changes the learning rate, snapshots on demand and stops', async () => {
    const host = start('child-process');
    const long = { ...config, training: { ...config.training, steps: 1e7 } };
    const steps: number[] = [];
    const checkpoints: number[] = [];
    host.on('progress', (p) => {
      steps.push(...p.steps.map((s) => s.step));
      checkpoints.push(...p.checkpoints.map((c) => c.step));
    });
    /** The next progress batch that passes the test, once the host has it. */
    const batch = (test: (p: { steps: unknown[]; checkpoints: unknown[] }) => boolean) =>
      new Promise<void>((res) => {
        const off = host.on('progress', (p) => test(p) && (off(), res()));
      });
    await host.ready;
    const trained = batch((p) => p.steps.length > 0);
    await host.start(long, null, 10);
    await trained;
    const paused = new Promise<number>((res) => host.on('paused', (e) => res(e.step)));
    await host.pause();
    const pausedAt = await paused;
    expect(pausedAt).toBeGreaterThan(0);
    // a change of rate comes with a snapshot at the step it applies after
    const changed = new Promise<{ step: number; baseLr: number }[]>((res) => {
      const off = host.on('progress', (p) => p.checkpoints.length > 0 && (off(), res(p.checkpoints)));
    });
    await host.setLr(0.5);
    expect((await changed).map((c) => ({ step: c.step, baseLr: c.baseLr }))).toEqual([{ step: pausedAt, baseLr: 0.5 }]);
    // the snapshot's batch carries every step trained since the pause: none
    const snapshot = batch((p) => p.checkpoints.length > 0);
    await host.snapshot();
    await snapshot;
    expect(steps.at(-1)).toBe(pausedAt); // nothing trains while paused
    const more = batch((p) => p.steps.length > 0);
    await host.resume();
    await more;
    const ended = new Promise<{ reason: string; step: number; baseLr: number }>((res) =>
      host.on('ended', (e) => res({ reason: e.reason, step: e.step, baseLr: e.checkpoint!.baseLr })),
    );
    await host.stop();
    const end = await ended;
    expect(end.reason).toBe('stopped');
    expect(end.step).toBeGreaterThan(pausedAt);
    expect(end.baseLr).toBe(0.5);
    expect(checkpoints).toContain(pausedAt);
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
  });

  it('answers a bad config with a clear error and stays usable', async () => {
    const host = start('worker-thread');
    await host.ready;
    await expect(host.start({ ...config, model: { ...config.model, hidden: -1 } }, null)).rejects.toThrow(
      /model\.hidden: must be at least 1/,
    );
    await expect(host.start({ ...config, training: { ...config.training, lr: 0 } }, null)).rejects.toMatchObject({
      code: 'invalid-config',
      issues: [{ path: 'training.lr', message: 'must be greater than 0' }],
    });
    await expect(host.pause()).rejects.toThrow(/no run is training/);
    const { ended } = await runToEnd(host, { ...config, training: { ...config.training, steps: 3 } });
    expect(ended.reason).toBe('completed');
  });

  it('ends a diverging run as diverged with the last finite weights', async () => {
    const host = start('child-process');
    const wild = parseConfig({
      task: { kind: 'sine', channels: 2, T: 20 },
      model: { hidden: 6, activation: 'identity', init: 'identity', gain: 3 },
      method: { kind: 'bptt' },
      training: { steps: 1000, lr: 1e3, optimizer: { kind: 'sgd' } },
    });
    const { ended } = await runToEnd(host, wild);
    expect(ended.reason).toBe('diverged');
    expect(ended.message).toMatch(/diverged at step \d+/);
    expect(flat(ended.checkpoint!.weights).every(Number.isFinite)).toBe(true);
  });

  it('runs the gradient check', async () => {
    const host = start('worker-thread');
    await host.ready;
    const report = await host.gradCheck(config, null);
    expect(report.worst).toBeLessThan(1e-6);
    expect(Math.max(...Object.values(report.rtrlVsBptt))).toBeLessThan(1e-10);
    expect(report.checked).toEqual({ U: 12, W: 36, V: 12, b: 6 });
  });

  it('rejects every pending call when the worker is killed', async () => {
    const host = start('child-process');
    await host.ready;
    const exit = host.waitForExit();
    const pending = host.gradCheck({ ...config, model: { ...config.model, hidden: 40 } }, null);
    process.kill(host.pid!, 'SIGKILL');
    await expect(pending).rejects.toThrow(/exited \(signal SIGKILL\)/);
    expect((await exit).reason).toBe('crashed');
  });
});
