// Runs that other processes train on the same database (a CLI run seen from
// the app or `serve`): whenever another connection has committed, the runs
// table is compared with what was seen before, and the differences come out
// as the manager's own events (changed, progress with the new steps and
// evals, deleted), so every view shows such a run live.

import type { EvalMetrics, RunSummary, StepMetrics } from '../../common/contract';
import type { RunState, Store } from '../store/store';

/** At most this many new steps of one run are read per poll (the views fetch history themselves). */
const MAX_STEPS_PER_POLL = 10_000;

export interface FollowerEvents {
  changed(summary: RunSummary): void;
  progress(p: { id: number; steps: StepMetrics[]; evals: EvalMetrics[] }): void;
  deleted(p: { id: number }): void;
}

export class Follower {
  private readonly known = new Map<number, RunState>();
  private version: number;

  constructor(
    private readonly store: Store,
    /** Runs this process trains: their events come from their workers. */
    private readonly isLocal: (id: number) => boolean,
    private readonly events: FollowerEvents,
  ) {
    this.version = store.dataVersion();
    for (const r of store.listRunStates()) this.known.set(r.id, r);
  }

  /** Emits what other processes changed since the last poll (nothing, cheaply, when no one wrote). */
  poll(): void {
    const version = this.store.dataVersion();
    if (version === this.version) return;
    this.version = version;
    const gone = new Set(this.known.keys());
    for (const now of this.store.listRunStates()) {
      gone.delete(now.id);
      const before = this.known.get(now.id);
      this.known.set(now.id, now);
      if (this.isLocal(now.id) || (before && before.updatedAt === now.updatedAt && before.status === now.status)) continue;
      const summary = this.store.getSummary(now.id);
      if (summary === null) continue;
      const seen = before?.lastStep ?? -1;
      if (now.lastStep !== null && now.lastStep > seen) {
        const from = Math.max(seen + 1, now.lastStep - MAX_STEPS_PER_POLL + 1);
        this.events.progress({
          id: now.id,
          steps: this.store.readSteps(now.id, from, now.lastStep),
          evals: this.store.readEvals(now.id, from, now.lastStep),
        });
      }
      this.events.changed(summary);
    }
    for (const id of gone) {
      this.known.delete(id);
      this.events.deleted({ id });
    }
  }

  /** A run this process deleted (its event is already out). */
  forget(id: number): void {
    this.known.delete(id);
  }
}
