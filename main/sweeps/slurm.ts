// The scheduler a sweep's trials go to when one machine is not enough,
// behind a small interface so others can follow; Slurm is the one built.
// Slurm runs the trials as one job array: `sbatch --array`, one element per
// trial; `squeue` knows the elements that are pending or running, `sacct`
// the finished ones where accounting is on (many small clusters run
// without it: then a finished element is simply no longer in the queue).

import { execFileSync } from 'node:child_process';

export interface TaskState {
  /** The scheduler's word for it: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, … */
  state: string;
  /** The host it runs or ran on, when the scheduler says. */
  host: string | null;
}

export interface Scheduler {
  readonly name: string;
  /** Submits a batch script with extra arguments for the submit command; returns the job id. */
  submit(script: string, args: readonly string[]): string;
  /** What the scheduler knows of the job's array elements: index → state. */
  tasks(job: string): Map<number, TaskState>;
  /** Cancels one array element (its process gets SIGTERM and stops cleanly). */
  cancel(job: string, index: number): void;
}

export class SchedulerError extends Error {
  override name = 'SchedulerError';
}

function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    if (err.code === 'ENOENT') throw new SchedulerError(`${command} is not installed here (Slurm's client commands are needed)`);
    throw new SchedulerError(`${command} ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

export const slurm: Scheduler = {
  name: 'slurm',
  submit(script, args) {
    // --parsable prints "jobid" or "jobid;cluster"
    const out = run('sbatch', ['--parsable', ...args, script]).trim();
    const job = out.split(';')[0];
    if (!/^\d+$/.test(job)) throw new SchedulerError(`sbatch answered "${out}", not a job id`);
    return job;
  },
  tasks(job) {
    const tasks = new Map<number, TaskState>();
    // sacct first (finished elements, where accounting is on), then squeue (live), which wins
    let accounted = '';
    try {
      accounted = run('sacct', ['-n', '-P', '-X', '-j', job, '-o', 'JobID,State,NodeList']);
    } catch {
      /* no accounting on this cluster */
    }
    for (const line of accounted.split('\n')) {
      const [id, state, host] = line.split('|');
      const m = /^\d+_(\d+)$/.exec(id ?? '');
      if (m && state) tasks.set(Number(m[1]), { state: state.split(' ')[0], host: host && host !== 'None assigned' ? host : null });
    }
    for (const line of run('squeue', ['-h', '-r', '-j', job, '-o', '%K|%T|%N']).split('\n')) {
      const [index, state, host] = line.split('|');
      if (index && /^\d+$/.test(index)) tasks.set(Number(index), { state, host: host || null });
    }
    return tasks;
  },
  cancel(job, index) {
    run('scancel', [`${job}_${index}`]);
  },
};
