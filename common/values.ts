// The allowed values of the run configuration and the API, written once:
// the contract's types, the zod schemas at every boundary, the messages
// naming them and the renderer's option lists all derive from these lists.

/** How a message names a choice: "a, b or c". */
export function orList(values: readonly string[]): string {
  return values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

export const DTYPES = ['float64', 'float32'] as const;
export type Dtype = (typeof DTYPES)[number];

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const INIT_SCHEMES = ['uniform', 'glorot', 'orthogonal', 'identity'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

export const TASK_KINDS = ['sine', 'copy', 'adding', 'text', 'csv'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** How a CSV task scales each column. */
export const CSV_NORMALIZATIONS = ['zscore', 'minmax', 'none'] as const;
export type CsvNormalization = (typeof CSV_NORMALIZATIONS)[number];

export const METHOD_KINDS = ['rtrl', 'rtrl-fast', 'rtrl-online', 'bptt', 'tbptt'] as const;
export type MethodKind = (typeof METHOD_KINDS)[number];

export const LOSS_KINDS = ['mse', 'xent'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/** The tasks whose targets are one-hot (symbols, characters): their loss is cross-entropy unless a config says otherwise. */
export const ONE_HOT_TASKS: readonly TaskKind[] = ['copy', 'text'];
export const defaultLossKind = (task: TaskKind): LossKind => (ONE_HOT_TASKS.includes(task) ? 'xent' : 'mse');

export const OPTIMIZER_KINDS = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

export const SCHEDULE_KINDS = ['constant', 'step', 'exponential', 'cosine'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const MATRIX_NAMES = ['U', 'W', 'V', 'b', 'c'] as const;
export type MatrixName = (typeof MATRIX_NAMES)[number];

/** pytorch: a safetensors file named as the state dict of torch.nn.RNN and torch.nn.Linear (main/transfer/pytorch.ts). */
export const WEIGHT_FORMATS = ['json', 'npz', 'npy', 'safetensors', 'pytorch', 'onnx', 'csv'] as const;
export type WeightFormat = (typeof WEIGHT_FORMATS)[number];

export const METRICS_FORMATS = ['csv', 'jsonl'] as const;
export type MetricsFormat = (typeof METRICS_FORMATS)[number];

/** A run's health, worst first after 'healthy' (engine/health.ts decides it). */
export const HEALTH_STATES = ['healthy', 'exploding', 'saturated', 'vanishing', 'not-learning'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** A task's trivial predictors: the training targets' mean, the last input (next-step tasks), the characters' frequencies. */
export const BASELINE_KINDS = ['mean', 'last', 'frequencies'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];
