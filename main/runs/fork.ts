// Forking: a new run that starts from a snapshot of another with a changed
// config. The model's shape must stay the same; a different optimizer
// starts with fresh moments.

import type { Checkpoint, RunConfig, RunRecord } from '../../common/contract';
import { ConfigError } from '../../native-worker/config';
import { createOptimizer } from '../../native-worker/engine/optim/optimizer';
import { layoutOf } from '../../native-worker/engine/params';
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
  const { config, estimate } = d.check(input.config ?? src.config);
  const before = d.check(src.config).estimate;
  const a = src.config.model,
    b = config.model;
  if (
    estimate.m !== before.m ||
    estimate.n !== before.n ||
    a.hidden !== b.hidden ||
    a.hiddenBias !== b.hiddenBias ||
    a.outputBias !== b.outputBias
  ) {
    throw new ConfigError([
      {
        path: 'model',
        message: `a fork keeps the model's shape (m=${before.m}, d=${a.hidden}, n=${before.n}, biases ${a.hiddenBias}/${a.outputBias})`,
      },
    ]);
  }
  if (config.training.steps <= checkpoint.step) {
    throw new ConfigError([{ path: 'training.steps', message: `must be more than the snapshot's step ${checkpoint.step}` }]);
  }
  const run = d.store.createRun({
    name: input.name?.trim() || `${src.name} (fork @${checkpoint.step})`,
    config,
    appVersion: d.appVersion,
    tags: src.tags,
    notes: '',
    parentRunId: src.id,
    parentStep: checkpoint.step,
  });
  d.store.saveCheckpoint(run.id, adaptCheckpoint(checkpoint, src.config, config, estimate.m, estimate.n));
  return run;
}

/** The forked run's starting checkpoint: same weights, optimizer moments kept only when the optimizer is unchanged. */
function adaptCheckpoint(c: Checkpoint, from: RunConfig, to: RunConfig, m: number, n: number): Checkpoint {
  const sameOptimizer = JSON.stringify(from.training.optimizer) === JSON.stringify(to.training.optimizer);
  const layout = layoutOf({ m, d: to.model.hidden, n, hiddenBias: to.model.hiddenBias, outputBias: to.model.outputBias });
  return {
    ...c,
    baseLr: to.training.lr,
    optimizer: sameOptimizer ? c.optimizer : createOptimizer(to.training.optimizer, layout.size, to.training.weightDecay).getState(),
    carry: to.method.kind === 'rtrl-online' && from.method.kind === 'rtrl-online' ? c.carry : null,
  };
}
