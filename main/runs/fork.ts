// Forking: a new run that starts from a snapshot of another with a changed
// config. The engine adapts the snapshot (forkCheckpoint): the model's
// shape must stay the same; a different optimizer starts with fresh moments.

import type { RunConfig, RunRecord } from '../../common/contract';
import { forkCheckpoint } from '../../native-worker/engine-api';
import type { Store } from '../store/store';
import { ApiError } from './errors';

export interface ForkDeps {
  store: Store;
  /** The run manager's config check: defaults filled, sizes and memory checked. */
  check(raw: unknown): { config: RunConfig; estimate: { m: number; n: number } };
  appVersion: string;
}

export function forkRun(d: ForkDeps, src: RunRecord, input: { step: number | null; config: unknown; name: string | null }): RunRecord {
  const checkpoint = input.step === null ? d.store.latestCheckpoint(src.id) : d.store.checkpointAt(src.id, input.step);
  if (!checkpoint)
    throw new ApiError('no-snapshot', `run ${src.id} has no snapshot${input.step === null ? '' : ` at or before step ${input.step}`}`);
  // without a config of its own, the fork goes on with the rate in force at the snapshot (a rate set live included)
  const { config, estimate } = d.check(input.config ?? { ...src.config, training: { ...src.config.training, lr: checkpoint.baseLr } });
  const start = forkCheckpoint(checkpoint, { config: src.config, sizes: d.check(src.config).estimate }, { config, sizes: estimate });
  const run = d.store.createRun({
    name: input.name?.trim() || `${src.name} (fork @${checkpoint.step})`,
    config,
    appVersion: d.appVersion,
    tags: src.tags,
    notes: '',
    parentRunId: src.id,
    parentStep: checkpoint.step,
  });
  d.store.saveCheckpoint(run.id, start);
  return run;
}
