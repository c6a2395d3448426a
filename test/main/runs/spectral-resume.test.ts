// Through the run manager and real workers: a d = 32 run ended at a snapshot
// and resumed as the same run reports the spectral-radius series of the
// uninterrupted run, bit for bit (the estimate's warm state travels in the
// snapshot, through the store and the worker's channel).

import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../native-worker/config';
import { bits } from '../store/fixtures';
import { testWorkbench, waitFor, type TestBench } from '../../support/workbench';

let wb: TestBench | null = null;
afterEach(async () => {
  await wb?.close();
  wb = null;
});

const config = (steps: number) =>
  parseConfig({
    seed: 5,
    task: { kind: 'sine', channels: 3, T: 12 },
    model: { hidden: 32 },
    method: { kind: 'bptt' },
    training: { steps, evalEvery: 10, snapshotEvery: 10, lr: 0.02, spectralEvery: 1 },
  });

describe('a resumed run (d = 32)', () => {
  it('has the spectral-radius series of the uninterrupted run, bit for bit', async () => {
    wb = testWorkbench();
    const bench = wb;
    const train = async (steps: number) => {
      const run = bench.manager.create({ config: config(steps), name: null });
      bench.manager.start(run.id);
      expect((await waitFor(bench, run.id, ['completed', 'failed', 'crashed'])).status).toBe('completed');
      return run.id;
    };
    const whole = await train(40);
    const part = await train(20);
    await bench.manager.resume(part, 40);
    expect((await waitFor(bench, part, ['completed', 'failed', 'crashed'])).status).toBe('completed');
    const series = (id: number) => bench.store.readSteps(id, 1, 40).map((s) => s.spectralRadius);
    expect(series(part)).toHaveLength(40);
    expect(bits(series(part))).toBe(bits(series(whole)));
  });
});
