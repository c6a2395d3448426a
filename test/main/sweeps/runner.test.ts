// Small real sweeps through the run manager's queue, with real worker
// processes and a real database file: early stopping, and a sweep stopped
// midway and resumed without redoing what it had finished.

import { describe, expect, it } from 'vitest';
import { promotes } from '../../../main/sweeps/asha';
import { createSweep, SweepRunner } from '../../../main/sweeps/runner';
import { benchPerTest, oneToN, stepsOf } from '../runs/fixtures';

const { bench } = benchPerTest();

const base = {
  seed: 3,
  task: { kind: 'sine', channels: 2, T: 8 },
  model: { hidden: 6 },
  method: { kind: 'bptt' },
  training: { steps: 40, evalEvery: 5, snapshotEvery: 5, lr: 0.03 },
};
// long enough that a trial stopped at a rung never finishes before the stop reaches it
const longer = {
  ...base,
  training: { steps: 5000, evalEvery: 50, snapshotEvery: 1000, lr: 0.03 },
};

describe('sweeps on this machine', () => {
  it('runs every trial as an ordinary run and stops the weak ones early at their rung', async () => {
    const wb = bench(undefined, 1); // one slot: trials reach each rung in trial order, so the decisions are fixed
    const id = createSweep(wb.store, {
      name: 'lr sweep',
      base: longer,
      grid: { 'training.lr': [0.03, 1e-7, 0.02, 2e-7] },
      earlyStopping: { kind: 'asha', minSteps: 50, reductionFactor: 4 },
    });
    const updates: number[] = [];
    const end = await new SweepRunner(wb, id, (t) => t && updates.push(t.trial)).run();
    const trials = wb.store.sweeps.trials(id);
    expect(end).toMatchObject({ total: 4, running: 0, queued: 0, failed: 0 });
    expect(end.completed + end.stoppedEarly).toBe(4);
    expect(trials.map((t) => wb.store.getRun(t.runId!)!.config.training.lr)).toEqual([0.03, 1e-7, 0.02, 2e-7]);
    // the first trial is best alone at each rung; the untrained second is worse than it at the first rung
    expect(trials[0].outcome).toBe('completed');
    expect(trials[1].outcome).toBe('stopped-early');
    const stopped = wb.store.getRun(trials[1].runId!)!;
    expect(stopped.status).toBe('stopped');
    expect(stopped.lastStep).toBeLessThan(5000);
    expect(stopped.endMessage).toBe(trials[1].reason);
    expect(stopped.endMessage).toMatch(
      /^stopped early by sweep \d+ at rung 0 \(step 50\): validationLoss [\d.e-]+ is not in the best 1\/4 of the 2 trials/,
    );
    // every decision is the rule's on the values recorded before it (trial order, one slot)
    for (const rung of [0, 1, 2, 3]) {
      const values = wb.store.sweeps.rungValues(id, rung);
      const seen: number[] = [];
      const went = values.map((v) => (seen.push(v), promotes(v, seen, 4)));
      const reached = trials.filter((t) => wb.store.sweeps.rungsReached(id, t.trial) > rung);
      expect(reached.map((t) => t.outcome === 'stopped-early' && wb.store.sweeps.rungsReached(id, t.trial) === rung + 1)).toEqual(
        went.map((w) => !w),
      );
    }
    const bests = trials.map((t) => wb.store.getRun(t.runId!)!.bestValidationLoss!);
    expect(end.best).toEqual({
      trial: bests.indexOf(Math.min(...bests)),
      runId: trials[bests.indexOf(Math.min(...bests))].runId,
      value: Math.min(...bests),
    });
    expect(new Set(updates)).toEqual(new Set([0, 1, 2, 3]));
  }, 180_000); // four trials of 5000 steps in one slot: over a minute when the machine is shared

  it('a sweep stopped midway resumes without redoing its finished trials, its stopped trial continuing its own run', async () => {
    const wb = bench(undefined, 1);
    const id = createSweep(wb.store, { name: 'resumable', base, grid: { 'training.steps': [20, 100000, 20] } });
    const runner = new SweepRunner(wb, id, (t) => {
      if (t?.trial === 0 && t.outcome === 'completed') {
        const second = wb.store.sweeps.trials(id)[1].runId!;
        const off = wb.manager.on('progress', (p) => {
          if (p.id === second && (p.steps.at(-1)?.step ?? 0) >= 15) {
            off();
            void runner.stop();
          }
        });
      }
    });
    const stopped = await runner.run();
    expect(stopped).toMatchObject({ total: 3, completed: 1, running: 0 });
    const [first, second, third] = wb.store.sweeps.trials(id);
    expect(second.outcome).toBeNull();
    const interrupted = wb.store.getRun(second.runId!)!;
    expect(interrupted.status).toBe('stopped');
    const stoppedAt = interrupted.lastStep!;
    expect(third.outcome).toBeNull();
    const firstRun = wb.store.getRun(first.runId!)!;

    // resumed with the second trial's total lowered, through its run: the same run continues to 40 steps
    wb.store.updateRun(second.runId!, {
      config: { ...interrupted.config, training: { ...interrupted.config.training, steps: stoppedAt + 25 } },
    });
    const end = await new SweepRunner(wb, id).run();
    expect(end).toMatchObject({ total: 3, completed: 3, stoppedEarly: 0, failed: 0 });
    const after = wb.store.sweeps.trials(id);
    expect(after.map((t) => t.runId)).toEqual([first.runId, second.runId, after[2].runId]);
    expect(wb.store.getRun(first.runId!)!.updatedAt).toBe(firstRun.updatedAt); // untouched
    expect(stepsOf(wb, second.runId!)).toEqual(oneToN(stoppedAt + 25));
    expect(wb.store.listRuns().length).toBe(3);
  });

  it('refuses to run a sweep another process is running, naming that process, and runs it once that one is done', async () => {
    const wb = bench(undefined, 1);
    const other = bench(wb.databasePath, 1, { ownerLabel: 'rnn-workbench sweep' });
    const id = createSweep(wb.store, { name: 'once', base, grid: { 'training.lr': [0.03, 0.02] } });
    const first = new SweepRunner(wb, id).run();
    await expect(new SweepRunner(other, id).run()).rejects.toThrow(new RegExp(`^sweep ${id} is being run by rnn-workbench \\(pid`));
    expect(await first).toMatchObject({ total: 2, completed: 2 });
    expect(other.store.sweeps.otherOwner(id)).toBeNull();
    expect(await new SweepRunner(other, id).run()).toMatchObject({ total: 2, completed: 2 });
    expect(wb.store.listRuns().length).toBe(2);
  });
});
