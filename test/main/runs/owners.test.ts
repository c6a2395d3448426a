// Several processes on one database: the app, `serve` and CLI runs share it.
// Two workbenches on one file stand for two processes (each Store is its own
// owner); a dead owner is a row naming a process that has exited.

import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../../common/contract';
import { waitFor, waitForStep } from '../../support/workbench';
import { benchPerTest, config, oneToN, stepsOf, train, uninterruptedWeights, weightsOf } from './fixtures';

const { bench } = benchPerTest();

/** A pid that no process has any more. */
const deadPid = (): number => Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());

describe('one owner per running run', () => {
  it('a second process leaves the run alone, shows it live, cannot resume or delete it, and stops it through its owner', async () => {
    const owner = bench();
    const run = owner.manager.create({ config: config(1e9), name: 'long' });
    owner.manager.start(run.id);
    await waitForStep(owner, run.id, 10);

    const other = bench(owner.databasePath); // opening it used to mark the run interrupted
    expect(other.store.getRun(run.id)!.status).toBe('running');
    expect(other.manager.recover()).toEqual([]);
    // followed through the database: the other process sees new steps as they are stored
    const seen: StepMetrics[] = [];
    other.manager.on('progress', (p) => p.id === run.id && seen.push(...p.steps));
    await new Promise<void>((resolve) => {
      const off = other.manager.on('progress', (p) => p.id === run.id && p.steps.length > 0 && (off(), resolve()));
    });

    const label = new RegExp(`being trained by rnn-workbench \\(pid ${process.pid} on `);
    await expect(other.manager.resume(run.id)).rejects.toThrow(label);
    await expect(other.manager.delete(run.id)).rejects.toThrow(label);
    await expect(other.manager.setLr(run.id, 0.01)).rejects.toThrow(label);

    const stopped = await other.manager.stop(run.id);
    expect(stopped.status).toBe('stopped');
    const end = await waitFor(owner, run.id, ['stopped']);
    expect(owner.store.latestCheckpoint(run.id)!.step).toBe(end.lastStep);
    expect(stepsOf(owner, run.id)).toEqual(oneToN(end.lastStep!));
    // what the follower delivered are stored steps, in order, never twice
    const delivered = seen.map((s) => s.step);
    expect(delivered).toEqual([...new Set(delivered)].sort((a, b) => a - b));
    expect(delivered.at(-1)).toBeLessThanOrEqual(end.lastStep!);
    // the run is no one's now: the other process may resume it
    await other.manager.resume(run.id, end.lastStep! + 10);
    expect((await waitFor(other, run.id, ['completed'])).lastStep).toBe(end.lastStep! + 10);
  });

  it('pauses and resumes a run through its owner', async () => {
    const owner = bench();
    const run = owner.manager.create({ config: config(1e9), name: null });
    owner.manager.start(run.id);
    await waitForStep(owner, run.id, 5);
    const other = bench(owner.databasePath);
    expect((await other.manager.pause(run.id)).status).toBe('paused');
    expect(owner.store.getRun(run.id)!.status).toBe('paused');
    expect((await other.manager.resume(run.id)).status).toBe('running');
    await owner.manager.stop(run.id);
  });

  it('a run whose owner died is marked interrupted by the next process to look, and resumes', async () => {
    const wb = bench();
    const whole = uninterruptedWeights(config(40));
    const run = wb.manager.create({ config: config(40), name: null });
    const db = new Database(wb.databasePath);
    // as a process killed outright leaves it: active, held by a pid that is gone, heartbeat fresh
    db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(run.id);
    db.prepare(
      "INSERT INTO run_owners (run_id, owner, pid, host, label, heartbeat_at) VALUES (?, 'gone', ?, ?, 'rnn-workbench train', ?)",
    ).run(run.id, deadPid(), wb.store.self.host, Date.now());
    db.close();
    expect(wb.manager.recover()).toEqual([run.id]);
    expect(wb.store.getRun(run.id)!.status).toBe('interrupted');
    await wb.manager.resume(run.id);
    expect((await waitFor(wb, run.id, ['completed'])).status).toBe('completed');
    expect(weightsOf(wb, run.id)).toEqual(whole);
  });

  it('an owner on another host counts as alive until its heartbeat is stale', () => {
    const wb = bench(undefined, 2, { timing: { pollMs: 50, ownerStaleMs: 60_000 } });
    const run = wb.manager.create({ config: config(40), name: null });
    const db = new Database(wb.databasePath);
    db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(run.id);
    const hold = db.prepare(
      "INSERT OR REPLACE INTO run_owners (run_id, owner, pid, host, label, heartbeat_at) VALUES (?, 'far', 1, 'elsewhere', 'rnn-workbench serve', ?)",
    );
    hold.run(run.id, Date.now());
    expect(wb.manager.recover()).toEqual([]);
    expect(wb.store.otherOwner(run.id)).toMatchObject({ host: 'elsewhere', label: 'rnn-workbench serve' });
    hold.run(run.id, Date.now() - 61_000);
    db.close();
    expect(wb.manager.recover()).toEqual([run.id]);
  });
});

describe('resume from any state', () => {
  it('a run killed before its first snapshot resumes, to the bits of an uninterrupted run', async () => {
    const wb = bench();
    const whole = uninterruptedWeights(config(40));
    // no progress batch reaches the store before the kill: no steps, no eval, no snapshot
    const slow = bench(wb.databasePath, 2, { progressEveryMs: 1e9 });
    const run = slow.manager.create({ config: config(1e9), name: null });
    slow.manager.start(run.id);
    await new Promise<void>((resolve) => {
      const off = slow.manager.on('changed', (r) => r.id === run.id && r.engineVersion !== null && (off(), resolve())); // its worker is up
    });
    process.kill(slow.channels.at(-1)!.pid!, 'SIGKILL');
    expect((await waitFor(slow, run.id, ['crashed'])).lastStep).toBeNull();
    expect(slow.store.latestCheckpoint(run.id)).toBeNull();
    await wb.manager.resume(run.id, 40);
    expect((await waitFor(wb, run.id, ['completed'])).lastStep).toBe(40);
    expect(weightsOf(wb, run.id)).toEqual(whole);
    expect(stepsOf(wb, run.id)).toEqual(oneToN(40));
  });

  it('a run with steps and its step-0 eval but no snapshot (as older versions left it) resumes from the start', async () => {
    const wb = bench();
    const whole = await train(wb, config(40));
    const run = wb.manager.create({ config: config(40), name: null });
    const first = wb.store.readSteps(whole, 1, 5);
    wb.store.appendProgress(run.id, { steps: first, evals: [wb.store.evalAt(whole, 0)!], checkpoints: [] });
    wb.store.updateRun(run.id, { status: 'stopped' });
    await wb.manager.resume(run.id); // was: "evals[0]: an eval at step 0 is already stored", after deleting the steps
    expect((await waitFor(wb, run.id, ['completed', 'failed'])).status).toBe('completed');
    expect(weightsOf(wb, run.id)).toEqual(weightsOf(wb, whole));
    expect(wb.store.listEvalSteps(run.id)).toEqual(wb.store.listEvalSteps(whole));
  });

  it('a refused resume changes nothing', async () => {
    const wb = bench();
    const id = await train(wb, config(40));
    const before = wb.store.getRun(id)!;
    await expect(wb.manager.resume(id, 30)).rejects.toThrow(/already trained 40 of 30 steps/);
    const after = wb.store.getRun(id)!;
    expect(after.config.training.steps).toBe(40); // was rewritten to 30 before the refusal
    expect(after).toEqual(before);
    expect(stepsOf(wb, id)).toEqual(oneToN(40));
  });

  it('SIGINT or SIGTERM to the worker alone (a terminal signals the whole process group) stops the run cleanly', async () => {
    const wb = bench();
    const whole = uninterruptedWeights(config(2000));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const run = wb.manager.create({ config: config(2000), name: signal });
      wb.manager.start(run.id);
      await waitForStep(wb, run.id, 30);
      process.kill(wb.channels.at(-1)!.pid!, signal);
      const end = await waitFor(wb, run.id, ['stopped', 'crashed', 'completed']);
      expect(end).toMatchObject({ status: 'stopped', endMessage: `stopped by ${signal}; resume continues from here` });
      expect(wb.store.latestCheckpoint(run.id)!.step).toBe(end.lastStep); // the final snapshot
      expect(stepsOf(wb, run.id)).toEqual(oneToN(end.lastStep!));
      await wb.manager.resume(run.id);
      expect((await waitFor(wb, run.id, ['completed', 'failed'])).status).toBe('completed');
      expect(weightsOf(wb, run.id)).toEqual(whole);
    }
  });
});
