// A sweep on a real single-node Slurm cluster (scripts/slurm-local.sh starts
// one: munge, slurmctld, slurmd from Debian): 8 trials submitted as a job
// array by the CLI, followed with `sweep status`, and collected into the
// database as runs of the sweep with their job and host.

import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { tempDatabase } from '../../support/workbench';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cluster = spawnSync('bash', [join(root, 'scripts/slurm-local.sh')], { encoding: 'utf8' });
const reason = cluster.status === 0 ? '' : (cluster.stderr || cluster.error?.message || 'it did not start').trim();

function spawnCli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/rnn-workbench.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '',
    err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe.skipIf(reason !== '')(
  `a sweep on Slurm${reason ? ` (skipped: the single-node cluster cannot start here: ${reason})` : ''}`,
  () => {
    it('submits 8 trials as a job array, reports their states and progress, and collects them as runs with their job and host', async () => {
      const db = tempDatabase();
      const dir = dirname(db);
      const spec = join(dir, 'spec.json');
      writeFileSync(
        spec,
        JSON.stringify({
          name: 'on slurm',
          base: {
            task: { kind: 'sine', channels: 2, T: 8 },
            model: { hidden: 5 },
            method: { kind: 'bptt' },
            training: { steps: 30, evalEvery: 10 },
          },
          grid: { 'training.lr': [0.01, 0.003, 0.001, 0.0003] },
          seeds: [1, 2],
        }),
      );
      const sent = await spawnCli(
        'sweep',
        'run',
        spec,
        '--slurm',
        '--workdir',
        join(dir, 'shared'),
        '--db',
        db,
        '--json',
        '--sbatch=--time=10',
      );
      expect(sent.err).toBe('');
      expect(sent.code).toBe(0);
      const { job, trials } = JSON.parse(sent.out);
      expect(job).toMatch(/^\d+$/);
      expect(trials).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

      // the cluster is another program: poll it until every element has left the queue
      let status;
      for (;;) {
        status = JSON.parse((await cli('sweep', 'status', '1', '--db', db, '--json')).out);
        if (!status.trials.some((t: { state: string }) => ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING'].includes(t.state))) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(status.job).toBe(job);
      expect(status.trials.map((t: { state: string }) => t.state)).toEqual(Array(8).fill(expect.stringMatching(/^(finished|COMPLETED)$/)));
      for (const t of status.trials) expect(t).toMatchObject({ host: hostname(), step: 30, totalSteps: 30, runStatus: 'completed' });

      const collected = await cli('sweep', 'collect', '1', '--db', db);
      expect(collected.out).toBe('sweep 1: collected 8 trials (0, 1, 2, 3, 4, 5, 6, 7); 0 still open\n');
      expect((await cli('sweep', 'collect', '1', '--db', db)).out).toBe('sweep 1: collected 0 trials; 0 still open\n');
      const shown = JSON.parse((await cli('sweep', 'show', '1', '--db', db, '--json')).out);
      expect(shown.trials.map((t: { status: string; steps: number }) => [t.status, t.steps])).toEqual(Array(8).fill(['completed', 30]));
      for (const t of shown.trials) {
        const run = JSON.parse((await cli('show', String(t.run), '--db', db, '--json')).out);
        expect(run.tags).toEqual(['sweep 1']);
        expect(run.notes).toContain(`slurm job ${job}, array index ${t.trial}, on ${hostname()}`);
        expect(run.config.training.lr).toBe(t.params['training.lr']);
        expect(run.config.seed).toBe(t.seed);
      }
      const after = JSON.parse((await cli('sweep', 'status', '1', '--db', db, '--json')).out);
      expect(after.trials.map((t: { state: string }) => t.state)).toEqual(Array(8).fill('collected (completed)'));
    }, 300_000);

    it("stops a weak trial early across array tasks: status judges the rung from the trials' databases and cancels it", async () => {
      const db = tempDatabase();
      const dir = dirname(db);
      const spec = join(dir, 'asha.json');
      writeFileSync(
        spec,
        JSON.stringify({
          name: 'asha on slurm',
          base: { task: { kind: 'sine', channels: 2, T: 8 }, model: { hidden: 5 }, method: { kind: 'bptt' } },
          // long enough that the good trial still runs when the weak one is judged (the test cancels it); the weak one
          // (untrained, lr 1e-9) takes batches of 8, so it reaches each rung after the good one and is judged against it
          grid: {
            training: [
              { steps: 2_000_000, evalEvery: 500, snapshotEvery: 100_000, lr: 0.03 },
              { steps: 2_000_000, evalEvery: 500, snapshotEvery: 100_000, lr: 1e-9, batchSize: 8 },
            ],
          },
          earlyStopping: { kind: 'asha', minSteps: 500, reductionFactor: 2 },
        }),
      );
      const sent = await spawnCli(
        'sweep',
        'run',
        spec,
        '--slurm',
        '--workdir',
        join(dir, 'shared'),
        '--db',
        db,
        '--json',
        '--sbatch=--time=10',
      );
      expect(sent.err).toBe('');
      const { job } = JSON.parse(sent.out);
      const status = async () =>
        JSON.parse((await cli('sweep', 'status', '1', '--db', db, '--json')).out) as { trials: { state: string }[] };
      // the untrained trial is worse than the other at the first rung both have passed
      let states: string[];
      do {
        states = (await status()).trials.map((t) => t.state);
        await new Promise((r) => setTimeout(r, 500));
      } while (states[1] !== 'stopped early (cancelled; collect brings it in)');
      expect(states[0]).toBe('RUNNING'); // the better one goes on
      spawnSync('scancel', [job]); // the test needs no more of it
      while ((await status()).trials.some((t) => ['PENDING', 'RUNNING', 'COMPLETING'].includes(t.state)))
        await new Promise((r) => setTimeout(r, 500));

      expect((await cli('sweep', 'collect', '1', '--db', db)).out).toBe('sweep 1: collected 2 trials (0, 1); 0 still open\n');
      const shown = JSON.parse((await cli('sweep', 'show', '1', '--db', db, '--json')).out);
      expect(shown.trials[1].status).toBe('stopped-early');
      expect(shown.trials[1].reason).toMatch(
        /^stopped early by sweep 1 at rung \d+ \(step \d+\): validationLoss [\d.e+-]+ is not in the best 1\/2 of the 2 trials that reached it$/,
      );
      const stopped = JSON.parse((await cli('show', String(shown.trials[1].run), '--db', db, '--json')).out);
      expect(stopped.status).toBe('stopped'); // scancel's SIGTERM: a clean stop with its snapshot
      expect(stopped.endMessage).toBe(shown.trials[1].reason);
      expect(stopped.lastStep).toBeLessThan(2_000_000);
    }, 300_000);
  },
);
