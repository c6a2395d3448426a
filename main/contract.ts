// The one contract between the processes: run configuration, worker
// messages, and (as they land) IPC calls and events. Every other module is
// typed over these declarations, so a misspelt channel or field does not
// compile. This file imports nothing and holds no code that runs.

// ---------------------------------------------------------------- configuration

export type Dtype = 'float64' | 'float32';
export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'identity';
export type InitScheme = 'uniform' | 'glorot' | 'orthogonal' | 'identity';

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
  | { kind: 'csv'; csv: string; T: number; normalize: 'zscore' | 'minmax' | 'none'; validationFraction: number };

export type TaskKind = TaskConfig['kind'];

export type MethodConfig =
  | { kind: 'rtrl' }
  | { kind: 'rtrl-online' }
  | { kind: 'bptt' }
  | { kind: 'tbptt'; k: number };

export type MethodKind = MethodConfig['kind'];

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

// ---------------------------------------------------------------- weights

export type MatrixName = 'U' | 'W' | 'V' | 'b' | 'c';

/** A matrix as it crosses a process boundary: row-major float64 values. */
export interface MatrixData {
  rows: number;
  cols: number;
  data: number[] | Float64Array;
}

export type Weights = Partial<Record<MatrixName, MatrixData>> & { U: MatrixData; W: MatrixData; V: MatrixData };

/** Everything needed to continue a run bit-for-bit from a step. */
export interface Checkpoint {
  step: number;
  weights: Weights;
  /** Optimizer moment buffers, flat, in parameter order. */
  optimizer: { t: number; buffers: Float64Array[] };
  /** The PRNG's state words. */
  rng: number[];
  /** Hidden state and sensitivities carried between sequences (online RTRL on a stream), else null. */
  carry: Float64Array | null;
}

// ---------------------------------------------------------------- metrics

/** Per-matrix scalars, keyed by matrix name (b and c only when present). */
export type PerMatrix = Partial<Record<MatrixName, number>>;

export interface StepMetrics {
  step: number;
  /** Training objective E (MATH.md), mean over the step's sequences. */
  loss: number;
  lr: number;
  gradNorm: PerMatrix;
  weightNorm: PerMatrix;
  /** ‖Δθ‖ / ‖θ‖ for this step's update. */
  updateRatio: PerMatrix;
  spectralRadius: number;
  /** Fraction of hidden activations with |s| > 0.99 over the step's sequences. */
  saturation: number;
  timestepsPerSec: number;
  /** Wall-clock milliseconds since the run (or the resumed segment) started. */
  wallMs: number;
}

export interface Histogram {
  /** Fixed layout: `bins` equal bins over [lo, hi]; values outside are counted in under/over. */
  lo: number;
  hi: number;
  counts: number[];
  under: number;
  over: number;
}

export interface EvalMetrics {
  step: number;
  validationLoss: number;
  histograms: { weights: Partial<Record<MatrixName, Histogram>>; grads: Partial<Record<MatrixName, Histogram>> };
  /** The probe sequence: hidden states (T×d), predictions and targets (T×n), row-major. */
  probe: { T: number; d: number; n: number; hidden: number[]; outputs: number[]; targets: number[] };
  /** Eigenvalues of W (re, im pairs). */
  eigenvalues: number[];
}

export interface GradCheckReport {
  /** Relative error per matrix between each pair of methods. */
  rtrlVsBptt: PerMatrix;
  rtrlVsFiniteDiff: PerMatrix;
  bpttVsFiniteDiff: PerMatrix;
  worst: number;
  step: number;
}

// ---------------------------------------------------------------- worker messages

export type RunEndReason = 'completed' | 'stopped' | 'diverged' | 'error';

export type HostToWorker =
  | { type: 'start'; seq: number; config: RunConfig; checkpoint: Checkpoint | null; progressEveryMs: number }
  | { type: 'pause'; seq: number }
  | { type: 'resume'; seq: number }
  | { type: 'stop'; seq: number }
  | { type: 'snapshot'; seq: number }
  | { type: 'set-lr'; seq: number; lr: number }
  | { type: 'gradcheck'; seq: number; config: RunConfig; checkpoint: Checkpoint | null };

export type WorkerToHost =
  | { type: 'ready'; engineVersion: string }
  | { type: 'ack'; seq: number }
  | { type: 'nack'; seq: number; error: WireError }
  | {
      type: 'progress';
      /** Increases by one per batch, so the host can see a lost batch. */
      batch: number;
      steps: StepMetrics[];
      evals: EvalMetrics[];
      checkpoints: Checkpoint[];
    }
  | { type: 'paused'; step: number }
  | { type: 'gradcheck'; seq: number; report: GradCheckReport }
  | { type: 'ended'; reason: RunEndReason; step: number; message: string | null; checkpoint: Checkpoint };

export interface WireError {
  code: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };
