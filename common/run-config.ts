// The run configuration: every field a run is made from, as the engine's
// schema (native-worker/config.ts) fills and checks it, and the dotted paths
// that name its fields in messages. Types only; contract.ts re-exports them.

import type { Activation, CsvNormalization, Dtype, InitScheme } from './values';

export interface ModelConfig {
  /** d, the number of hidden units. */
  hidden: number;
  /** f, applied to z^t = U x^t + W s^{t−1} (+ b) to give the state s^t. */
  activation: Activation;
  /** Hidden bias b (z^t += b). Off by default, as in the plain Elman network of docs/math.md. */
  hiddenBias: boolean;
  /** Output bias c (y^t += c). */
  outputBias: boolean;
  /** How W is initialised: uniform ±1/√fan_in, Glorot, a random orthogonal matrix times gain, or gain·I; U and V use Glorot under glorot, else the uniform. */
  init: InitScheme;
  /** Gain for orthogonal and identity W (spectral radius of the initial W). */
  gain: number;
}

export type TaskConfig =
  | {
      /** Next-step prediction of sine waves, one frequency and phase per channel. */
      kind: 'sine';
      /** Channels in and out (m = n). */
      channels: number;
      /** Time steps per sequence. */
      T: number;
      /** Held-out windows the validation loss averages over. */
      validationSequences: number;
    }
  | {
      /** Read `length` symbols, wait `delay` blanks, then recall them in order. */
      kind: 'copy';
      /** Distinct symbols (m = symbols + 2 with blank and go; n = symbols). */
      symbols: number;
      /** Symbols to remember. */
      length: number;
      /** Blank steps between the symbols and the go marker. */
      delay: number;
      /** Held-out patterns the validation loss averages over. */
      validationSequences: number;
    }
  | {
      /** Output the sum of the two marked values, at the last step only. */
      kind: 'adding';
      /** Time steps per sequence. */
      T: number;
      /** Held-out sequences the validation loss averages over. */
      validationSequences: number;
    }
  | {
      /** Next-character prediction on a text, one-hot over its characters. */
      kind: 'text';
      /** The training text (null: the built-in sonnets). */
      text: string | null;
      /** Characters per training window. */
      T: number;
      /** The share of the text, at its end, held out for validation. */
      validationFraction: number;
    }
  | {
      /** Next-row prediction on your own CSV time series, one channel per column. */
      kind: 'csv';
      /** The CSV file's content (the CLI and the app read it from the file you name). */
      csv: string;
      /** Rows per training window. */
      T: number;
      /** Per-column normalisation, with statistics of the training rows only. */
      normalize: CsvNormalization;
      /** The share of the rows, at the end, held out for validation. */
      validationFraction: number;
    };

export type MethodConfig =
  | {
      /** Exact real-time recurrent learning: forward sensitivities, one update per sequence; O(d⁴) time per step. */
      kind: 'rtrl';
    }
  | {
      /** Exact RTRL in O(d³) average time per step (Schmidhuber 1992): the same gradient as rtrl, BPTT over blocks of d steps with the sensitivities updated at block boundaries. */
      kind: 'rtrl-fast';
    }
  | {
      /** RTRL updating the weights at every time step of one continuing stream (batch size 1): online, approximate. */
      kind: 'rtrl-online';
    }
  | {
      /** Backpropagation through the whole sequence. */
      kind: 'bptt';
    }
  | {
      /** Backpropagation truncated to the last k steps before each error. */
      kind: 'tbptt';
      /** How many steps back each error's gradient reaches. */
      k: number;
    };

export type LossConfig =
  | {
      /** Squared error E^t = g Σ_k (ŷ_k − y_k)², summed over the counted steps, averaged over the batch. */
      kind: 'mse';
      /** g (null: 1/n). */
      scale: number | null;
    }
  | {
      /** Softmax cross-entropy against one-hot targets, in nats, summed over the counted steps. */
      kind: 'xent';
    };

export type OptimizerConfig =
  | {
      /** Plain gradient descent: θ −= lr · g. */
      kind: 'sgd';
    }
  | {
      /** Heavy-ball momentum. */
      kind: 'momentum';
      /** The velocity's decay per step. */
      momentum: number;
      /** Nesterov's look-ahead form. */
      nesterov: boolean;
    }
  | {
      /** Adagrad: per-parameter steps scaled by the root of the summed squared gradients. */
      kind: 'adagrad';
      /** Added to the root before dividing. */
      eps: number;
    }
  | {
      /** RMSprop: steps scaled by a running root mean square of the gradient. */
      kind: 'rmsprop';
      /** Decay of the running mean square. */
      rho: number;
      /** Added to the root before dividing. */
      eps: number;
    }
  | {
      /** Adam, with bias correction (AdamW with weight decay). */
      kind: 'adam';
      /** Decay of the first-moment estimate. */
      beta1: number;
      /** Decay of the second-moment estimate. */
      beta2: number;
      /** Added to the root before dividing. */
      eps: number;
    };

export type ScheduleConfig =
  | {
      /** The learning rate stays lr. */
      kind: 'constant';
    }
  | {
      /** Multiply the learning rate by factor every `every` steps. */
      kind: 'step';
      /** Steps between reductions. */
      every: number;
      /** The factor applied at each reduction. */
      factor: number;
    }
  | {
      /** Multiply the learning rate by gamma at every step. */
      kind: 'exponential';
      /** The factor per step. */
      gamma: number;
    }
  | {
      /** Cosine annealing from lr at step 0 down to minLr at step `period`, then minLr (no restarts). */
      kind: 'cosine';
      /** Steps from lr down to minLr. */
      period: number;
      /** The learning rate from step `period` on. */
      minLr: number;
    };

export interface TrainingConfig {
  /** Optimizer steps to run; each step processes one batch of sequences. */
  steps: number;
  /** Sequences per step (RTRL methods take 1 sequence at a time and average). */
  batchSize: number;
  /** The base learning rate (the schedule scales it; it can be changed while the run trains). */
  lr: number;
  /** The update rule. */
  optimizer: OptimizerConfig;
  /** How the learning rate changes over the steps. */
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
  /** Seeds the weights, the data and every random draw: one seed, one run, bit for bit. */
  seed: number;
  /** Floating-point precision of the weights and of every computation. */
  dtype: Dtype;
  /** What the network learns. */
  task: TaskConfig;
  /** The network. */
  model: ModelConfig;
  /** How the gradient is computed. */
  method: MethodConfig;
  /** The error the gradient descends. */
  loss: LossConfig;
  /** The optimizer, its schedule and the run's cadences. */
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
