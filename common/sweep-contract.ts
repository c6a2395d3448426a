// The sweep calls of the app's API (merged into ApiCalls in contract.ts):
// list, read, check a spec, create and start, stop, resume and delete a
// sweep, from the desktop app over IPC or from a browser over `serve`.

import type { RunSummary } from './contract';

export const TRIAL_OUTCOMES = ['completed', 'stopped-early', 'failed'] as const;
export type TrialOutcome = (typeof TRIAL_OUTCOMES)[number];

/** A problem with a sweep spec, by its field (`random["training.lr"].max`, `base: training.lr`). */
export interface SweepSpecIssue {
  field: string;
  message: string;
}

export interface SweepSummary {
  id: number;
  name: string;
  createdAt: number;
  updatedAt: number;
  trials: number;
  completed: number;
  stoppedEarly: number;
  failed: number;
  /** Who runs it now: "this process", or the other process's description; null when nobody does. */
  runBy: string | null;
}

export interface SweepTrial {
  trial: number;
  /** Config path → the value this trial sets. */
  params: Record<string, unknown>;
  seed: number | null;
  outcome: TrialOutcome | null;
  /** Why it was stopped early or failed. */
  reason: string | null;
  /** Its run (null before it was created, or after it was deleted on its own). */
  run: RunSummary | null;
}

export interface SweepProgressInfo {
  total: number;
  completed: number;
  stoppedEarly: number;
  failed: number;
  running: number;
  queued: number;
  /** The trial with the lowest best validation loss so far. */
  best: { trial: number; runId: number; value: number } | null;
}

export interface SweepDetail extends SweepSummary {
  /** The spec as validated. */
  spec: unknown;
  /** The swept config paths, in the spec's order. */
  params: string[];
  /** Set for a sweep sent to Slurm: its job id (trials come back with `sweep collect`). */
  job: string | null;
  progress: SweepProgressInfo;
  trialList: SweepTrial[];
  /** Why the last start in this process failed, if it did. */
  error: string | null;
}

export interface SweepCalls {
  'sweeps:list': { args: null; result: SweepSummary[] };
  'sweeps:get': { args: { id: number }; result: SweepDetail };
  /** Validates a spec without storing it: every problem by its field, and the number of trials it expands to. */
  'sweeps:check': { args: { spec: unknown }; result: { issues: SweepSpecIssue[]; trials: number } };
  /** Stores a valid spec as a new sweep (refused with 'invalid-sweep' otherwise) and, with start, runs it in this process. */
  'sweeps:create': { args: { spec: unknown; start: boolean }; result: SweepDetail };
  /** Runs (or resumes) the sweep's open trials in this process; refused while another process runs it. */
  'sweeps:start': { args: { id: number }; result: SweepDetail };
  /** Stops its trials cleanly, whichever process runs it; they stay open, to resume. */
  'sweeps:stop': { args: { id: number }; result: SweepDetail };
  /** Deletes the sweep (refused while it runs) and, with deleteRuns, its trials' runs. */
  'sweeps:delete': { args: { id: number; deleteRuns: boolean }; result: null };
}
