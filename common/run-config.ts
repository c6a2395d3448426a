// The run configuration: every field a run is made from, as the engine's
// schema (native-worker/config.ts) fills and checks it, and the dotted paths
// that name its fields in messages. Types only; contract.ts re-exports them.

import type { Activation, CsvNormalization, Dtype, InitScheme } from './values';

export interface ModelConfig {
  /** d, the number of hidden units. */
  hidden: number;
  activation: Activation;
  /** Hidden bias b (z^t += b). Off by default: the model of MATH.md. */
  hiddenBias: boolean;
  /** Output bias c (y^t += c). */
  outputBias: boolean;
  /** How W is initialised; U and V always use uniform ±1/sqrt(fan_in) or Glorot. */
  init: InitScheme;
  /** Gain for orthogonal and identity W (spectral radius of the initial W). */
  gain: number;
}

export type TaskConfig =
  | { kind: 'sine'; channels: number; T: number; validationSequences: number }
  | { kind: 'copy'; symbols: number; length: number; delay: number; validationSequences: number }
  | { kind: 'adding'; T: number; validationSequences: number }
  | { kind: 'text'; text: string | null; T: number; validationFraction: number }
  | { kind: 'csv'; csv: string; T: number; normalize: CsvNormalization; validationFraction: number };

export type MethodConfig =
  | { kind: 'rtrl' }
  /** Exact RTRL in O(d³) average time per step (Schmidhuber 1992): the same gradient as 'rtrl', BPTT over blocks of d steps with the sensitivities updated at block boundaries. */
  | { kind: 'rtrl-fast' }
  | { kind: 'rtrl-online' }
  | { kind: 'bptt' }
  | { kind: 'tbptt'; k: number };

export type LossConfig =
  /** E^t = g Σ_k (ŷ_k − y_k)²; scale null means g = 1/n. */
  | { kind: 'mse'; scale: number | null }
  /** Softmax cross-entropy for one-hot targets. */
  | { kind: 'xent' };

export type OptimizerConfig =
  | { kind: 'sgd' }
  | { kind: 'momentum'; momentum: number; nesterov: boolean }
  | { kind: 'adagrad'; eps: number }
  | { kind: 'rmsprop'; rho: number; eps: number }
  | { kind: 'adam'; beta1: number; beta2: number; eps: number };

export type ScheduleConfig =
  | { kind: 'constant' }
  | { kind: 'step'; every: number; factor: number }
  | { kind: 'exponential'; gamma: number }
  | { kind: 'cosine'; period: number; minLr: number };

export interface TrainingConfig {
  /** Optimizer steps to run; each step processes one batch of sequences. */
  steps: number;
  /** Sequences per step (RTRL methods take 1 sequence at a time and average). */
  batchSize: number;
  lr: number;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  /** Decoupled L2 weight decay (AdamW style for Adam), 0 for none. */
  weightDecay: number;
  /** Clip the global gradient norm to this value (null: off). */
  clipNorm: number | null;
  /** Clip every gradient component to [−v, v] (null: off). */
  clipValue: number | null;
  /** Validation loss, histograms and the probe every this many steps. */
  evalEvery: number;
  /** Weight snapshot every this many steps (0: only at the end). */
  snapshotEvery: number;
  /** Estimate ρ(W) at step 1 and every this many steps after (0: never); the steps between report NaN. */
  spectralEvery: number;
  /** End the run 'diverged' once a step's loss exceeds its best by more than this factor (null: only on non-finite values). */
  divergenceFactor: number | null;
}

export interface RunConfig {
  seed: number;
  dtype: Dtype;
  task: TaskConfig;
  model: ModelConfig;
  method: MethodConfig;
  loss: LossConfig;
  training: TrainingConfig;
  /** Refuse exact RTRL whose sensitivity tensors would need more bytes than this. */
  rtrlMemoryLimit: number;
}

/** Every dotted path into T's fields, down to the leaves, each variant's fields included. */
type PathsOf<T> = T extends object ? { [K in keyof T & string]: K | `${K}.${PathsOf<T[K]>}` }[keyof T & string] : never;

/** A field of the run configuration by its dotted path: 'seed', 'model', 'task.csv', 'training.optimizer.beta1'. */
export type ConfigPath = PathsOf<RunConfig>;

/** One problem with a config: the field it is about ('config' for the config as a whole) and what is wrong. */
export interface ConfigIssue {
  path: ConfigPath | 'config';
  message: string;
}
