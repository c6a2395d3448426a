// The one contract between the processes: run configuration, worker
// messages, and (as they land) IPC calls and events. Every other module is
// typed over these declarations, so a misspelt channel or field does not
// compile. This file holds no code that runs; the value lists its unions
// come from live in common/, which every process (the renderer too) imports.
// The run configuration (run-config.ts), the worker messages
// (worker-protocol.ts), the lab's, sweeps' and transfer's calls (lab.ts,
// sweep-contract.ts, transfer-contract.ts) live beside it and are
// re-exported here, so every module imports the contract from one place.

import type { RunStatus } from './statuses';
import type { SweepCalls } from './sweep-contract';
import type { TransferCalls } from './transfer-contract';
import type {
  Activation,
  BaselineKind,
  Dtype,
  HealthState,
  InitScheme,
  MatrixName,
  MethodKind,
  MetricsFormat,
  TaskKind,
  WeightFormat,
} from './values';

export type {
  Activation,
  BaselineKind,
  Dtype,
  HealthState,
  InitScheme,
  MatrixName,
  MethodKind,
  MetricsFormat,
  RunStatus,
  TaskKind,
  WeightFormat,
};

export type * from './run-config';
export type * from './lab';
export type * from './transfer-contract';
export type * from './worker-protocol';
import type { LabCalls } from './lab';
import type { ConfigIssue, RunConfig } from './run-config';

// ---------------------------------------------------------------- weights

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
  /** The base learning rate in force (the config's, or a later change from the user). */
  baseLr: number;
  weights: Weights;
  /** Optimizer moment buffers, flat, in parameter order. */
  optimizer: { t: number; buffers: Float64Array[] };
  /** The PRNG's state words. */
  rng: number[];
  /** Hidden state and sensitivities carried between sequences (online RTRL on a stream), else null. */
  carry: Float64Array | null;
  /** The per-step spectral-radius estimate's warm state; null where W is small enough for the exact value, or the snapshot predates it (the estimate then starts afresh). */
  spectral: SpectralState | null;
}

/** What the spectral-radius estimate carries from step to step: its PRNG's state words and the direction it restarts from (null before it has one). */
export interface SpectralState {
  rng: number[];
  start: Float64Array | null;
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
  /** NaN values (in neither under nor over), when there were any. */
  nan?: number;
}

export interface EvalMetrics {
  step: number;
  validationLoss: number;
  histograms: { weights: Partial<Record<MatrixName, Histogram>>; grads: Partial<Record<MatrixName, Histogram>> };
  /** The probe sequence: hidden states (T×d), predictions and targets (T×n), row-major. */
  probe: { T: number; d: number; n: number; hidden: number[]; outputs: number[]; targets: number[] };
  /** Eigenvalues of W (re, im pairs). */
  eigenvalues: number[];
  /** The run's health at this step (absent in evals stored before the health monitor). */
  health?: HealthReport;
  /** The task's trivial predictors' validation losses, in the units of validationLoss (absent in older evals). */
  baselines?: TaskBaseline[];
  /** The gradient lab's numbers at this evaluation (absent in older evals). */
  lab?: EvalLab;
}

/** What an evaluation measures of the gradient and of the probe beyond its outputs (native-worker/engine/lab/eval-lab.ts). */
export interface EvalLab {
  /** ‖∂E^T/∂s^(T−k)‖₂ for k = 0 … T−1 on the probe (E^T the loss of its last step). */
  flow: number[];
  /** The probe's loss per time step E^t, in the loss's units (nats for cross-entropy); NaN on masked steps. */
  probeLoss: number[];
  /** The probe's mask weights per time step (1 counts, 0 does not); null when every step counts. */
  probeMask: number[] | null;
  /** Symbol tasks (text, copy): the probe's targets and argmax outputs as characters ('·' where masked). */
  probeText: { target: string; output: string } | null;
  /** Approximate methods (rtrl-online, tbptt): the last step's gradient against the exact one; null otherwise. */
  alignment: GradientAlignment | null;
}

/** The gradient a step used against the exact gradient (full BPTT) on the same sequences at the weights the step started from. */
export interface GradientAlignment {
  /** The training step measured. */
  step: number;
  /** g·g_exact / (‖g‖ ‖g_exact‖) per matrix and over all parameters ("all"). */
  cosine: PerMatrix & { all: number };
  /** ‖g‖ / ‖g_exact‖ per matrix and over all parameters. */
  normRatio: PerMatrix & { all: number };
}

/** What the health monitor (native-worker/engine/health.ts) concludes, with the numbers behind it. */
export interface HealthReport {
  state: HealthState;
  /** The step it was decided at, and the first step of the current state. */
  step: number;
  since: number;
  /** One line per finding, with its numbers. */
  reasons: string[];
  /** What to change (null when healthy). */
  remedy: string | null;
}

/** The validation loss of a predictor that learns nothing from the sequence. */
export interface TaskBaseline {
  kind: BaselineKind;
  loss: number;
}

export interface GradCheckReport {
  /** Relative error per matrix between each pair of methods. */
  rtrlVsBptt: PerMatrix;
  rtrlVsFiniteDiff: PerMatrix;
  bpttVsFiniteDiff: PerMatrix;
  /** How many entries of each matrix the finite differences covered (a seeded sample for big models). */
  checked: PerMatrix;
  worst: number;
  step: number;
}

// ---------------------------------------------------------------- errors on the wire

export interface WireError {
  code: string;
  /** For people: for 'invalid-config', one "path: message" line per issue. */
  message: string;
  /** For 'invalid-config': each problem beside its field. */
  issues?: ConfigIssue[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

// ---------------------------------------------------------------- runs and their history

/** A run as listed: everything but its config. Times are ms since the epoch. */
export interface RunSummary {
  id: number;
  name: string;
  status: RunStatus;
  taskKind: string;
  methodKind: string;
  seed: number;
  /** The engine that last trained the run: version and kernels, e.g. "0.1.0 (native kernels)" (null before it ran). */
  engineVersion: string | null;
  appVersion: string;
  createdAt: number;
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
  tags: string[];
  notes: string;
  /** The run this one was forked from, and at which of its steps. */
  parentRunId: number | null;
  parentStep: number | null;
  /** Highest step with stored metrics, null before the first. */
  lastStep: number | null;
  /** Lowest finite validation loss stored, null before the first. */
  bestValidationLoss: number | null;
  /** Why the run ended (error text, divergence note), when it did. */
  endMessage: string | null;
  /** The health at the run's latest eval that has one (null before it). */
  health: HealthReport | null;
  /** From the config, so a list of runs needs no configs: hidden units d, sequences per step, total steps. */
  hidden: number;
  batchSize: number;
  totalSteps: number;
}

/** A run's config as dotted paths to leaf values, long strings (datasets) left out (common/config-leaves.ts). */
export interface RunParams {
  id: number;
  params: Record<string, string | number | boolean | null>;
}

export interface RunRecord extends RunSummary {
  config: RunConfig;
}

export interface RunFilter {
  status?: readonly RunStatus[];
  tag?: string;
  /** Substring of the name or the notes. */
  search?: string;
  parentRunId?: number;
  limit?: number;
  offset?: number;
}

/**
 * Points of one series in step order. When `downsampled`, each bucket of
 * `bucketSteps` steps contributes its first, minimum, maximum and last point,
 * so a spike never disappears from a chart.
 */
export interface SeriesPoints {
  steps: number[];
  values: number[];
  downsampled: boolean;
  bucketSteps: number;
}

export interface SnapshotInfo {
  step: number;
  createdAt: number;
  bytes: number;
  /** The base learning rate in force from this step on (the config's, or a live change: common/lr-changes.ts). */
  baseLr: number;
}

export interface StoredGradCheck extends GradCheckReport {
  id: number;
  runId: number;
  createdAt: number;
}

/** What a config will cost before it runs. */
export interface CostEstimate {
  m: number;
  n: number;
  d: number;
  parameters: number;
  /** Bytes of the method's working memory (RTRL sensitivities, BPTT's stored states). */
  workingBytes: number;
  /** Multiply-adds per optimizer step. */
  flopsPerStep: number;
  warnings: string[];
}

/** A config's run time, measured: its first steps timed in a worker and projected to the whole run. */
export interface RunTiming {
  /** Steady time of one step (the timed steps' second half). */
  msPerStep: number;
  /** One evaluation. */
  evalMs: number;
  /** Building the run (task data, buffers) and its step-0 evaluation. */
  setupMs: number;
  /** Starting a worker process (a run starts one too). */
  startMs: number;
  stepsTimed: number;
  /** How long the timed steps took. */
  timingMs: number;
  /** The whole run, projected. */
  totalMs: number;
}

// ---------------------------------------------------------------- the app's API (IPC, and HTTP in serve mode)

/** Every call the renderer (or a script over `serve`) can make: channel → arguments and result. */
export interface ApiCalls extends TransferCalls, LabCalls, SweepCalls {
  'app:info': { args: null; result: { appVersion: string; engineVersion: string; databasePath: string; maxConcurrentRuns: number } };
  'config:defaults': { args: { task: TaskKind | null }; result: RunConfig };
  'config:check': { args: { config: unknown }; result: { config: RunConfig; estimate: CostEstimate } };
  /** Time the config's first steps in a fresh worker (about a second) and project its whole run. */
  'config:time': { args: { config: unknown }; result: RunTiming };
  'runs:list': { args: RunFilter | null; result: RunSummary[] };
  'runs:get': { args: { id: number }; result: RunRecord };
  /** The configs of these runs (all when null) as parameters, for search by config, grouping and the history-wide plots. */
  'runs:params': { args: { ids: number[] | null }; result: RunParams[] };
  'runs:create': { args: { config: unknown; name: string | null; tags: string[]; notes: string; start: boolean }; result: RunRecord };
  'runs:start': { args: { id: number }; result: RunSummary };
  'runs:pause': { args: { id: number }; result: RunSummary };
  /** A paused run continues; an ended one restarts from its latest snapshot as the same run (optionally with more steps). */
  'runs:resume': { args: { id: number; steps: number | null }; result: RunSummary };
  'runs:stop': { args: { id: number }; result: RunSummary };
  'runs:snapshot': { args: { id: number }; result: null };
  'runs:set-lr': { args: { id: number; lr: number }; result: null };
  'runs:update': { args: { id: number; name?: string; tags?: string[]; notes?: string }; result: RunSummary };
  'runs:delete': { args: { id: number }; result: null };
  /** A new run from a snapshot of another, with a changed config (same model shape). */
  'runs:fork': { args: { id: number; step: number | null; config: unknown; name: string | null; start: boolean }; result: RunRecord };
  'metrics:series': {
    args: { id: number; series: string; from: number | null; to: number | null; maxPoints: number };
    result: SeriesPoints;
  };
  'metrics:series-names': { args: { id: number }; result: string[] };
  'metrics:steps': { args: { id: number; from: number; to: number }; result: StepMetrics[] };
  'metrics:eval-steps': { args: { id: number }; result: number[] };
  'metrics:eval': { args: { id: number; step: number }; result: EvalMetrics | null };
  'snapshots:list': { args: { id: number }; result: SnapshotInfo[] };
  'snapshots:get': { args: { id: number; step: number }; result: { step: number; weights: Weights } };
  'gradcheck:run': { args: { id: number; step: number | null }; result: StoredGradCheck };
  'gradcheck:list': { args: { id: number }; result: StoredGradCheck[] };
  /** Text generated from a text run's snapshot at or before `step` (null: the latest), seeded, at a temperature. */
  'lab:sample': {
    args: { id: number; step: number | null; length: number; temperature: number; seed: number };
    result: { step: number; text: string };
  };
}

export type ApiChannel = keyof ApiCalls;

/** Events main pushes to the renderer. */
export interface ApiEvents {
  'runs:changed': RunSummary;
  'runs:deleted': { id: number };
  /** New metrics of a live run (batched as the worker sends them). */
  'runs:progress': { id: number; steps: StepMetrics[]; evals: EvalMetrics[] };
}

export type ApiEvent = keyof ApiEvents;

/**
 * What the desktop app's preload puts on `window.workbench`: one method per
 * call, each resolving to the handler's Result (never rejecting for an API
 * error), and main's events with a listener that can be removed.
 */
export interface WorkbenchBridge {
  api: { [K in ApiChannel]: (args: ApiCalls[K]['args']) => Promise<Result<ApiCalls[K]['result']>> };
  events: {
    /** Calls `listener` with each payload of `event`; the returned function stops it. */
    on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  };
}
