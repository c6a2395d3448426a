// What the run-manager tests share: a small RTRL config, the workbenches a
// test opened (closed after each), a run trained to its end, its weights,
// and the weights of an uninterrupted run.

import { afterEach } from 'vitest';
import type { Checkpoint, RunConfig } from '../../../common/contract';
import { parseConfig } from '../../../native-worker/config';
import { Trainer } from '../../../native-worker/trainer';
import { testWorkbench, waitFor, type TestBench } from '../../support/workbench';

export const config = (steps: number, extra: object = {}): RunConfig =>
  parseConfig({
    seed: 17,
    task: { kind: 'sine', channels: 2, T: 16 },
    model: { hidden: 6 },
    method: { kind: 'rtrl' },
    training: { steps, evalEvery: 10, snapshotEvery: 10 },
    ...extra,
  });

/** Workbenches opened through `bench` are closed after each test (call once per file). */
export function benchPerTest(): { bench: (...a: Parameters<typeof testWorkbench>) => TestBench; forget: (wb: TestBench) => void } {
  const benches: TestBench[] = [];
  afterEach(async () => {
    while (benches.length) await benches.pop()!.close();
  });
  return {
    bench: (...a) => {
      const b = testWorkbench(...a);
      benches.push(b);
      return b;
    },
    forget: (wb) => void benches.splice(benches.indexOf(wb) >>> 0, 1),
  };
}

const flatWeights = (c: Checkpoint): number[] => ['U', 'W', 'V'].flatMap((k) => Array.from(c.weights[k as 'U'].data));

export const weightsOf = (wb: TestBench, id: number): number[] => flatWeights(wb.store.latestCheckpoint(id)!);

/**
 * The weights a run of the config ends with when nothing interrupts it,
 * trained in this process: the bits a worker gives (worker.test.ts checks
 * that they are the same), without starting one.
 */
export function uninterruptedWeights(c: RunConfig): number[] {
  const trainer = new Trainer(c);
  while (!trainer.done) trainer.runStep();
  return flatWeights(trainer.checkpoint());
}

export async function train(wb: TestBench, c: RunConfig): Promise<number> {
  const run = wb.manager.create({ config: c, name: null });
  wb.manager.start(run.id);
  await waitFor(wb, run.id, ['completed', 'failed', 'crashed']);
  return run.id;
}

/** The run's stored steps are 1..last, each exactly once. */
export function stepsOf(wb: TestBench, id: number): number[] {
  const last = wb.store.getRun(id)!.lastStep ?? 0;
  return wb.store.readSteps(id, 0, last).map((s) => s.step);
}

export const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
