// The gradient lab as it crosses process boundaries: the jobs main sends a
// worker (spectrum and flow, the referee, a replayed step), what comes
// back, and the API calls the lab view makes. The engine computes these in
// native-worker/engine/lab/; its results are checked against these types
// where the worker posts them, so the two cannot drift apart.

import type { Checkpoint, PerMatrix, StepMetrics } from './contract';
import type { RunConfig } from './run-config';

export type Complex = [re: number, im: number];

export interface LabFixedPoint {
  s: number[];
  /** ‖f(W s + U x̄ + b) − s‖₂ at s. */
  residual: number;
  /** Eigenvalues of the linearisation diag(f′(z*)) W, by modulus descending. */
  eigenvalues: Complex[];
  /** Every |λ| < 1. */
  stable: boolean;
}

export interface LabPca {
  mean: number[];
  components: number[][];
  /** Fraction of the trajectory's variance along each component. */
  explained: number[];
  /** s^1 … s^T in the components' coordinates: one row per time step. */
  projected: number[][];
}

/** Spectrum, gradient flow, saturation, fixed points and PCA at one snapshot, on the probe. */
export interface LabInspect {
  step: number;
  spectralRadius: number;
  eigenvalues: Complex[];
  singularMax: number;
  /** ‖∂s^T/∂s^(T−k)‖₂ for k = 1 … T−1 on `jacobianOn`. */
  jacobian: number[];
  /** "probe", or "input" (rows the CLI's --input gives, s^0 = 0). */
  jacobianOn: 'probe' | 'input';
  /** ‖∂E^T/∂s^(T−k)‖₂ for k = 0 … T−1. */
  flow: number[];
  /** Fraction of the probe's hidden activations with |s| > 0.99. */
  saturation: number;
  /** The same fraction per hidden unit (d). */
  unitSaturation: number[];
  /** Of s = f(W s + U x̄ + b), x̄ the mean input of `jacobianOn`. */
  fixedPoints: LabFixedPoint[];
  /** The probe's hidden-state trajectory s^1 … s^T in its top principal components. */
  pca: LabPca;
}

export interface LabRefereeMethod {
  /** "rtrl", "bptt", "tbptt(k)" or "finite differences". */
  name: string;
  ms: number;
  bytes: number;
  /** ‖∂E/∂θ‖ per matrix over the compared entries. */
  norm: PerMatrix;
}

export interface LabRefereePair {
  a: string;
  b: string;
  relativeError: PerMatrix;
  cosine: PerMatrix;
}

/** The referee's table at a snapshot's step, on the probe (T steps, B sequences). */
export interface LabReferee {
  step: number;
  T: number;
  B: number;
  /** Entries compared per matrix (all, or a seeded sample for big models). */
  checked: PerMatrix;
  methods: LabRefereeMethod[];
  pairs: LabRefereePair[];
}

export interface StoredReferee extends LabReferee {
  id: number;
  runId: number;
  createdAt: number;
}

export interface LabMatrix {
  rows: number;
  cols: number;
  /** Row-major. */
  data: number[];
}

/** One stored step recomputed from the nearest snapshot before it (or the seed). */
export interface LabReplay {
  step: number;
  /** The snapshot's step it started from; null: the seed's initial weights. */
  from: number | null;
  metrics: StepMetrics;
  stored: StepMetrics;
  /** Fields that differ in any bit (empty: equal). */
  differences: string[];
  equal: boolean;
  /** δz^t on the step's first sequence: row t − 1 for time step t (T × d). */
  deltas: LabMatrix;
  /** ∂s^T/∂U (d × d·m; column i·m + j for u_ij). */
  sensitivityU: LabMatrix;
  /** ∂s^T/∂W (d × d·d; column i·d + j for w_ij). */
  sensitivityW: LabMatrix;
}

/** What main asks a worker to compute (a worker of its own, killed when done or cancelled). */
export type LabJob =
  | { kind: 'inspect'; config: RunConfig; checkpoint: Checkpoint }
  | { kind: 'referee'; config: RunConfig; checkpoint: Checkpoint }
  | { kind: 'replay'; config: RunConfig; checkpoint: Checkpoint | null; step: number; stored: StepMetrics };

export type LabResult =
  { kind: 'inspect'; report: LabInspect } | { kind: 'referee'; report: LabReferee } | { kind: 'replay'; report: LabReplay };

/**
 * The lab's API calls. `job` is the caller's name for the computation
 * (unique while it runs); `lab:cancel` with that name ends it, and the call
 * fails with code 'cancelled'. A job too large for the app fails at once
 * with 'too-large', naming the sizes.
 */
export interface LabCalls {
  /** Spectrum, flow, saturation, fixed points and PCA at the snapshot at or before `step` (null: the latest). */
  'lab:inspect': { args: { id: number; step: number | null; job: string }; result: LabInspect };
  /** Runs the referee there and stores its table with the run. */
  'lab:referee': { args: { id: number; step: number | null; job: string }; result: StoredReferee };
  /** The run's stored referee tables, oldest first. */
  'lab:referees': { args: { id: number }; result: StoredReferee[] };
  /** Recomputes stored step `step` and compares it bit for bit. */
  'lab:replay': { args: { id: number; step: number; job: string }; result: LabReplay };
  /** Ends a running job; false when none of that name runs. */
  'lab:cancel': { args: { job: string }; result: boolean };
}
