// Checkpoints made or checked outside a training run, for the main process
// (through engine-api.ts): the step-0 checkpoint of a run that starts from
// given weights, the check that a checkpoint from elsewhere (an imported
// archive's snapshot) fits a run's model, optimizer and method, and a fork's
// starting checkpoint. A trainer makes and loads its own from its live state
// (trainer.ts) with the same pieces: layout, optimizer state, PRNG.

import type { Checkpoint, RunConfig, Weights } from '../common/contract';
import { ConfigError } from './config';
import { createOptimizer } from './engine/optim/optimizer';
import { decayMask, fromWeights, modelLayout, skipInitDraws, toWeights, type Layout } from './engine/params';
import { Rng } from './engine/prng';
import { METHODS } from './methods/table';

/** The task's input and output sizes, which the config alone does not give (the estimate's m and n). */
export interface ModelSizes {
  m: number;
  n: number;
}

/** A checkpoint that does not fit: its shapes or values ('shape-mismatch', 'non-finite'), or its kind of state for the method ('wrong-method'). */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly kind: 'shape-mismatch' | 'non-finite' | 'wrong-method',
    /** The part that does not fit. */
    readonly part: 'weights' | 'state' | 'carry' | 'spectral-start',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The step-0 checkpoint of a run of `config` that starts from `weights`:
 * fresh optimizer moments and the PRNG where a fresh run of the same seed
 * is after initialising, so importing a run's initial weights under its own
 * config reproduces that run exactly.
 */
export function weightsCheckpoint(config: RunConfig, sizes: ModelSizes, weights: Weights): Checkpoint {
  const layout = modelLayout(config.model, sizes.m, sizes.n);
  let params;
  try {
    params = fromWeights(layout, weights, config.dtype);
  } catch (e) {
    throw new CheckpointError('shape-mismatch', 'weights', (e as Error).message);
  }
  const bad = params.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const blk = layout.blocks.find((b) => bad < b.offset + b.size)!;
    const i = bad - blk.offset;
    throw new CheckpointError(
      'non-finite',
      'weights',
      `${blk.name}[${Math.floor(i / blk.cols)},${i % blk.cols}] = ${weights[blk.name]!.data[i]} overflows ${config.dtype}`,
    );
  }
  const rng = new Rng(config.seed);
  skipInitDraws(layout, config.model.init, rng);
  return {
    step: 0,
    baseLr: config.training.lr,
    weights: toWeights(layout, params),
    optimizer: freshOptimizerState(config, layout),
    rng: rng.getState(),
    carry: null,
    spectral: null,
  };
}

/** Throws CheckpointError unless a run of `config` can load `cp`: weights, optimizer moments, PRNG states, carry and spectral state. */
export function checkCheckpoint(cp: Checkpoint, config: RunConfig, sizes: ModelSizes): void {
  const layout = modelLayout(config.model, sizes.m, sizes.n);
  try {
    fromWeights(layout, cp.weights, 'float64');
    createOptimizer(config.training.optimizer, layout.size, config.training.weightDecay, decayMask(layout)).setState(cp.optimizer);
    new Rng(0).setState(cp.rng);
    if (cp.spectral) new Rng(0).setState(cp.spectral.rng);
  } catch (e) {
    throw new CheckpointError('shape-mismatch', 'state', (e as Error).message);
  }
  if (cp.carry && !METHODS[config.method.kind].carriesState)
    throw new CheckpointError('wrong-method', 'carry', `carries online RTRL state but the method is ${config.method.kind}`);
  const start = cp.spectral?.start;
  const d = config.model.hidden;
  if (start && start.length !== d)
    throw new CheckpointError('shape-mismatch', 'spectral-start', `${start.length} values, the model's W is ${d}×${d}`);
}

/**
 * The starting checkpoint of a fork of a run of `from` into a run of `to`:
 * the same weights, the optimizer moments only when the optimizer is
 * unchanged, the carried state only when the method is the same and carries
 * one. Throws ConfigError, naming the field, when `to` changes the model's
 * shape or does not train past the checkpoint.
 */
export function forkCheckpoint(
  cp: Checkpoint,
  from: { config: RunConfig; sizes: ModelSizes },
  to: { config: RunConfig; sizes: ModelSizes },
): Checkpoint {
  const a = from.config.model,
    b = to.config.model;
  const { m, n } = from.sizes;
  if (to.sizes.m !== m || to.sizes.n !== n || a.hidden !== b.hidden || a.hiddenBias !== b.hiddenBias || a.outputBias !== b.outputBias) {
    throw new ConfigError([
      {
        path: 'model',
        message: `a fork keeps the model's shape (m=${m}, d=${a.hidden}, n=${n}, biases ${a.hiddenBias}/${a.outputBias})`,
      },
    ]);
  }
  if (to.config.training.steps <= cp.step) {
    throw new ConfigError([{ path: 'training.steps', message: `must be more than the snapshot's step ${cp.step}` }]);
  }
  const sameOptimizer = JSON.stringify(from.config.training.optimizer) === JSON.stringify(to.config.training.optimizer);
  const kind = to.config.method.kind;
  return {
    ...cp,
    baseLr: to.config.training.lr,
    optimizer: sameOptimizer ? cp.optimizer : freshOptimizerState(to.config, modelLayout(b, m, n)),
    carry: from.config.method.kind === kind && METHODS[kind].carriesState ? cp.carry : null,
  };
}

function freshOptimizerState(config: RunConfig, layout: Layout): Checkpoint['optimizer'] {
  return createOptimizer(config.training.optimizer, layout.size, config.training.weightDecay, decayMask(layout)).getState();
}
