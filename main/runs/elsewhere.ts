// Runs that another live process trains (the app, `serve`, another
// terminal): what this process may not do to them, said with the owner's
// name, and the requests it leaves for the owner, whose run manager carries
// them out on its next tick.

import type { RunStatus, RunSummary } from '../../common/contract';
import { describeOwner, type OwnerRequest } from '../store/owners';
import type { Store } from '../store/store';
import { ApiError } from './errors';

export class Elsewhere {
  constructor(
    private readonly store: Store,
    /** How often to look for the owner's answer (ms). */
    private readonly pollMs: number,
    /** How long to wait for it (ms). */
    private readonly timeoutMs: number,
  ) {}

  /** Whether another live process trains the run. */
  owns(id: number): boolean {
    return this.store.otherOwner(id) !== null;
  }

  refuse(id: number, verb: string): void {
    const owner = this.store.otherOwner(id);
    if (owner)
      throw new ApiError('owned-elsewhere', `cannot ${verb} run ${id}: it is being trained by ${describeOwner(owner)}; stop it first`);
  }

  /** Why this process cannot act on a run it does not train. */
  notHere(id: number, verb: string, status: RunStatus): ApiError {
    const owner = this.store.otherOwner(id);
    return new ApiError(
      'bad-state',
      owner
        ? `cannot ${verb} run ${id} from here: it is being trained by ${describeOwner(owner)}`
        : `cannot ${verb} run ${id}: it is ${status}, not training`,
    );
  }

  /** Leaves a request for the process that trains the run and waits until its status shows the answer. */
  async ask(id: number, request: OwnerRequest, answered: (s: RunStatus) => boolean): Promise<RunSummary> {
    const owner = this.store.otherOwner(id)!;
    this.store.requestOfOwner(id, request);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      await new Promise((r) => setTimeout(r, Math.min(100, this.pollMs)));
      const run = this.store.getSummary(id);
      if (run === null) throw new ApiError('no-such-run', `run ${id} does not exist (any more)`);
      if (answered(run.status)) return run;
      if (Date.now() > deadline) {
        throw new ApiError(
          'no-answer',
          `run ${id} is trained by ${describeOwner(owner)}, which did not ${request} it within ${Math.round(this.timeoutMs / 1000)} s`,
        );
      }
    }
  }
}
