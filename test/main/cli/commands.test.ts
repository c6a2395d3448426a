// What the run commands say: where a fork starts (or why it cannot),
// what `resume --steps` means, the model's biases, how long a run trained,
// and the loss a task gets.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../main/store/store';
import { cli } from '../../support/cli';
import { tempDatabase } from '../../support/workbench';

const SMALL = ['--task', 'adding', '--T', '6', '--hidden', '4', '--method', 'bptt'];

describe('run commands', () => {
  it('train --estimate times the config in a worker, prints its cost and creates no run', async () => {
    const db = tempDatabase();
    const r = await cli('train', ...SMALL, '--steps', '30', '--estimate', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^shape m=2 d=4 n=1, \d+ parameters, working memory \d/);
    expect(r.out).toMatch(
      /\ntime {2}≈ .+ for 30 steps \(≈ .+ a step, .+ an evaluation, .+ to start\), from 30 steps timed in .+ on this machine\n/,
    );
    const j = JSON.parse((await cli('train', ...SMALL, '--steps', '30', '--estimate', '--json', '--db', db)).out) as {
      d: number;
      timing: { stepsTimed: number; totalMs: number; startMs: number };
    };
    expect(j.d).toBe(4);
    expect(j.timing.stepsTimed).toBe(30);
    expect(j.timing.startMs).toBeGreaterThan(0);
    expect(j.timing.totalMs).toBeGreaterThan(j.timing.startMs);
    expect((await cli('list', '--db', db)).out).toMatch(/^no runs yet/);
  });

  it('fork names the snapshot it starts from, and refuses a step without one, listing the nearest', async () => {
    const db = tempDatabase();
    expect((await cli('train', ...SMALL, '--steps', '30', '--snapshot-every', '10', '--db', db)).code).toBe(0);
    const near = await cli('fork', '1', '--at', '14', '--steps', '40', '--db', db);
    expect(near.code).toBe(2);
    expect(near.err).toMatch(
      /^fork: run 1 has no snapshot at step 14; the nearest: --at 10 or --at 20 \(`rnn-workbench show 1` lists all 4\)\n/,
    );
    expect((await cli('fork', '1', '--at', '99', '--steps', '140', '--db', db)).err).toMatch(/the nearest: --at 30 \(/);
    const f = await cli('fork', '1', '--at', '10', '--steps', '40', '--db', db);
    expect(f.code).toBe(0);
    expect(f.out).toMatch(/^forked run 1 at its snapshot at step 10\n/);
    expect(f.out).toMatch(/run 2 completed at step 40/);
    expect((await cli('fork', '1', '--steps', '50', '--db', db)).out).toMatch(/^forked run 1 at its snapshot at step 30\n/);
  });

  it('fork goes on at the learning rate in force at its snapshot, unless --lr says otherwise', async () => {
    const db = tempDatabase();
    expect((await cli('train', ...SMALL, '--lr', '0.01', '--steps', '30', '--snapshot-every', '10', '--db', db)).code).toBe(0);
    // as a rate set live leaves it: the snapshots from step 20 on carry the new rate
    const raw = new Database(db);
    raw.prepare('UPDATE snapshots SET base_lr = 0.002 WHERE run_id = 1 AND step >= 20').run();
    raw.close();
    for (const args of [
      ['--at', '20', '--steps', '40'],
      ['--at', '10', '--steps', '40'],
      ['--at', '20', '--steps', '40', '--lr', '0.05'],
    ])
      expect((await cli('fork', '1', ...args, '--db', db)).code).toBe(0);
    const store = Store.openReadOnly(db);
    expect([2, 3, 4].map((id) => store.getRun(id)!.config.training.lr)).toEqual([0.002, 0.01, 0.05]);
    store.close();
  });

  it('resume --steps N says it is the new total, from which snapshot', async () => {
    const db = tempDatabase();
    await cli('train', ...SMALL, '--steps', '20', '--db', db);
    const r = await cli('resume', '1', '--steps', '1200', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^resuming run 1 at step 20 of 1,200\n/);
    expect(r.out).toMatch(/run 1 completed at step 1200/);
    expect((await cli('resume', '1', '--steps', 'ten', '--db', db)).err).toMatch(
      /^resume: --steps "ten" is not a step count \(it is the run's new total\)/,
    );
  });

  it("show says which biases the model has, and list and show how long the run trained (its segments' sum)", async () => {
    const db = tempDatabase();
    const file = join(mkdtempSync(join(tmpdir(), 'wb-cfg-')), 'c.json');
    writeFileSync(file, JSON.stringify({ model: { hiddenBias: true } }));
    await cli('train', ...SMALL, '--steps', '20', '--db', db);
    await cli('resume', '1', '--steps', '40', '--db', db);
    await cli('train', ...SMALL, '--config', file, '--steps', '5', '--db', db);
    const store = Store.openReadOnly(db);
    const steps = store.readSteps(1, 1, 40);
    store.close();
    const expected = steps[19].wallMs + steps[39].wallMs; // the first segment ended at step 20, the second at 40
    expect(steps[20].wallMs).toBeLessThan(steps[19].wallMs);

    const show = await cli('show', '1', '--db', db);
    expect(show.out).toMatch(/model {7}d=4 tanh, no biases, init uniform/);
    expect(show.out).toMatch(/^ {2}trained {5}\d.* (ms|s), started \d{4}-\d\d-\d\d \d\d:\d\d, ended \d{4}/m);
    expect(JSON.parse((await cli('show', '1', '--json', '--db', db)).out).trainingMs).toBe(expected);
    expect((await cli('show', '2', '--db', db)).out).toMatch(/d=4 tanh, biases hidden b, init/);

    const list = await cli('list', '--db', db);
    expect(list.out).toMatch(/^id\s+name\s+status\s+health\s+task\s+method\s+step\s+best val\s+time\s+created$/m);
    expect(list.out).toMatch(/^1\s+.*\s+40\s+\S+\s+\d[\d.]* (ms|s)\s+\d{4}-/m);
    const json = JSON.parse((await cli('list', '--json', '--db', db)).out) as { id: number; trainingMs: number }[];
    expect(json.find((r) => r.id === 1)!.trainingMs).toBe(expected);
  });

  it('--loss sets the loss; copy and text default to cross-entropy, sine to squared error', async () => {
    const db = tempDatabase();
    const loss = async (id: number) => JSON.parse((await cli('show', String(id), '--json', '--db', db)).out).config.loss;
    const copy = ['--task', 'copy', '--hidden', '4', '--steps', '2', '--db', db];
    await cli('train', ...copy);
    await cli('train', ...copy, '--loss', 'mse');
    await cli('train', '--hidden', '4', '--T', '5', '--steps', '2', '--db', db);
    expect(await loss(1)).toEqual({ kind: 'xent' });
    expect(await loss(2)).toEqual({ kind: 'mse', scale: null });
    expect(await loss(3)).toEqual({ kind: 'mse', scale: null });
    expect((await cli('show', '1', '--db', db)).out).toMatch(/^ {2}task {8}copy .*, cross-entropy loss$/m);
    const f = await cli('fork', '2', '--loss', 'xent', '--steps', '4', '--db', db); // mse's scale does not stay behind
    expect(f.code, f.err).toBe(0);
    expect(await loss(4)).toEqual({ kind: 'xent' });
    expect((await cli('train', '--loss', 'l1', '--db', db)).err).toMatch(/^error: loss\.kind: must be mse or xent/);
  });
});
