// The worker's lab job: the same numbers as the engine computes in-process
// (the CLI's `inspect` path), a refused job as a clear nack, and a worker
// that stays usable for the next job.

import { afterEach, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../common/contract';
import type { WorkerHost } from '../../../main/worker-host/host';
import { parseConfig } from '../../../native-worker/config';
import { inspectSnapshot, refereeSnapshot, replayCompared } from '../../../native-worker/engine/lab/index';
import { Trainer } from '../../../native-worker/trainer';
import { startWorker } from '../../support/workers';

const hosts: WorkerHost[] = [];
afterEach(() => {
  while (hosts.length) hosts.pop()!.kill();
});
const start = (): WorkerHost => {
  const h = startWorker('child-process');
  hosts.push(h);
  return h;
};

const config: RunConfig = parseConfig({
  seed: 7,
  task: { kind: 'sine', channels: 2, T: 10, validationSequences: 1 },
  model: { hidden: 5, hiddenBias: true },
  method: { kind: 'rtrl' },
  training: { steps: 6, lr: 0.05 },
});

function trained(steps: number) {
  const t = new Trainer(config);
  const records = [];
  while (t.step < steps) records.push(t.runStep());
  return { checkpoint: t.checkpoint(), records };
}

describe('the worker’s lab job', () => {
  it('answers inspect, referee and replay with what the engine computes in-process', async () => {
    const host = start();
    await host.ready;
    const { checkpoint } = trained(3);
    const inspect = await host.lab({ kind: 'inspect', config, checkpoint });
    expect(inspect).toEqual({ kind: 'inspect', report: inspectSnapshot(config, checkpoint) });
    expect(inspect.kind === 'inspect' && inspect.report.unitSaturation).toHaveLength(5);

    const referee = await host.lab({ kind: 'referee', config, checkpoint });
    const local = refereeSnapshot(config, checkpoint);
    expect(referee.kind).toBe('referee');
    if (referee.kind !== 'referee') return;
    // everything but the wall times agrees to the bit
    const untimed = (r: typeof local) => ({ ...r, methods: r.methods.map((m) => ({ ...m, ms: 0 })) });
    expect(untimed(referee.report)).toEqual(untimed(local));
    expect(referee.report.methods.map((m) => m.name)).toEqual(['rtrl', 'bptt', 'tbptt(1)', 'tbptt(5)', 'finite differences']);

    const run = trained(5);
    const replay = await host.lab({ kind: 'replay', config, checkpoint, step: 5, stored: run.records[4] });
    expect(replay.kind).toBe('replay');
    if (replay.kind !== 'replay') return;
    // the clock's fields aside (the replay's own speed), the same record, slices and verdict
    const clockless = (r: typeof replay.report) => ({ ...r, metrics: { ...r.metrics, timestepsPerSec: 0, wallMs: 0 } });
    expect(clockless(replay.report)).toEqual(clockless(replayCompared(config, checkpoint, 5, run.records[4])));
    expect(replay.report).toMatchObject({ equal: true, differences: [], from: 3 });
  });

  it('refuses a malformed job and a failing one with a message, then serves the next', async () => {
    const host = start();
    await host.ready;
    const { checkpoint } = trained(1);
    await expect(host.lab({ kind: 'replay', config, checkpoint, step: 0, stored: trained(1).records[0] })).rejects.toMatchObject({
      code: 'bad-message',
    });
    const tiny = { ...config, rtrlMemoryLimit: 16 };
    await expect(host.lab({ kind: 'referee', config: tiny, checkpoint })).rejects.toMatchObject({
      code: 'lab-failed',
      message: expect.stringMatching(/over rtrlMemoryLimit \(16\)/),
    });
    expect((await host.lab({ kind: 'inspect', config, checkpoint })).kind).toBe('inspect');
  });
});
