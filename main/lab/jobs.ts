// The gradient lab's computations, each in a worker process of its own
// (they take seconds, and the main process's event loop serves the window
// and the runs meanwhile). A job has the caller's name while it runs, so
// the caller can cancel it (the lab view does when it closes): the worker
// is killed and the call fails with 'cancelled'.

import type { LabJob, LabResult } from '../../common/contract';
import { ApiError } from '../runs/errors';
import type { WorkerChannel } from '../worker-host/channel';
import { WorkerHost } from '../worker-host/host';

type Reports = { [R in LabResult as R['kind']]: R['report'] };

/** Lab jobs at once: one per part of a lab view (its report, a referee, a replay); the cores are the runs' first. */
export const MAX_LAB_JOBS = 3;

export class LabJobs {
  private readonly running = new Map<string, WorkerHost>();
  private readonly cancelled = new WeakSet<WorkerHost>();

  constructor(private readonly spawn: () => WorkerChannel) {}

  async run<K extends LabJob['kind']>(name: string, job: LabJob & { kind: K }): Promise<Reports[K]> {
    if (this.running.has(name)) throw new ApiError('busy', `lab job "${name}" is already running`);
    if (this.running.size >= MAX_LAB_JOBS) {
      throw new ApiError('busy', `${MAX_LAB_JOBS} lab computations are running already; wait for one to finish or cancel it`);
    }
    const host = new WorkerHost(this.spawn());
    this.running.set(name, host);
    try {
      await host.ready;
      const result = await host.lab(job);
      if (result.kind !== job.kind) throw new ApiError('internal', `the lab worker answered a ${job.kind} job with ${result.kind}`);
      return result.report as Reports[K];
    } catch (e) {
      if (this.cancelled.has(host)) throw new ApiError('cancelled', `lab job "${name}" was cancelled`);
      throw e;
    } finally {
      this.running.delete(name);
      host.kill();
    }
  }

  /** Ends the job of that name; false when none runs. */
  cancel(name: string): boolean {
    const host = this.running.get(name);
    if (!host) return false;
    this.cancelled.add(host);
    host.kill();
    return true;
  }
}
