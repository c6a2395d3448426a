// The import and export calls of the app's API (merged into ApiCalls in
// contract.ts): weights, metrics and whole runs out; weights files and run
// archives in; a snapshot run over new data.

import type { RunRecord } from './contract';
import type { Dtype, MetricsFormat, WeightFormat } from './values';

/** A file produced for the user to save (a native dialog in the app, a download in a browser). */
export interface ExportFile {
  fileName: string;
  mime: string;
  data: Uint8Array;
}

/** What to export: a snapshot's weights (the latest when step is null), the metrics, or the whole run. */
export type ExportRequest =
  | { kind: 'weights'; id: number; step: number | null; format: WeightFormat; dtype: Dtype }
  | { kind: 'metrics'; id: number; format: MetricsFormat }
  | { kind: 'archive'; id: number };

/**
 * Import and export calls (declared apart so the export work can grow them).
 * Weight exports hold the matrices U, W, V (b, c) with the run's config,
 * step, seed and engine version where the format has room (json,
 * safetensors metadata, onnx metadata); onnx is a graph of the forward pass
 * (input x: [T, batch, m], outputs y: [T, batch, n] and states s: [T, batch, d]).
 * Imports refuse a malformed file with a message naming what is wrong and
 * change nothing in the database.
 */
export interface TransferCalls {
  /** A snapshot's weights (the latest when step is null); npy and csv come as a zip of one file per matrix. */
  'export:weights': { args: { id: number; step: number | null; format: WeightFormat; dtype: Dtype }; result: ExportFile };
  'export:metrics': { args: { id: number; format: MetricsFormat }; result: ExportFile };
  /** The whole run (config, metrics, evals, snapshots) as one portable archive. */
  'export:archive': { args: { id: number }; result: ExportFile };
  /**
   * Desktop app only: asks where to save with a native dialog, then streams the export to that file (written
   * beside it and renamed into place, so a failure leaves any old file intact); null when the dialog is cancelled.
   * In a browser, serve mode streams the same exports from GET /export.
   */
  'export:save': { args: ExportRequest; result: { path: string; bytes: number } | null };
  /**
   * A new run whose initial weights come from a JSON, .npz, safetensors or ONNX (its own exports) file, shape-checked against the config
   * (null: the config the file carries, as JSON and safetensors exports do).
   */
  'import:weights': {
    args: { fileName: string; data: Uint8Array; config: unknown; name: string | null; start: boolean };
    result: RunRecord;
  };
  /** A run archive (export:archive) as a new run: same config, metrics, evals and snapshots; a run exported while training comes in 'stopped'. */
  'import:archive': { args: { fileName: string; data: Uint8Array }; result: RunRecord };
  /** What a weights file holds, before importing it: its tensors, the model they imply, and the config it carries (if any). */
  'import:inspect': { args: { fileName: string; data: Uint8Array }; result: WeightsFileInfo };
  /** A snapshot (the latest when step is null) run over the rows of a CSV file: predictions, targets and loss. */
  'predict:csv': { args: { id: number; step: number | null; fileName: string; csv: string }; result: Prediction };
}

export interface WeightsFileInfo {
  format: 'json' | 'npz' | 'safetensors' | 'onnx';
  tensors: { name: string; shape: number[]; dtype: Dtype }[];
  /** The model the tensors imply: m inputs, d hidden units, n outputs, and which biases. */
  model: { m: number; d: number; n: number; hiddenBias: boolean; outputBias: boolean };
  /** The run config the file carries, or null (an .npz carries none). */
  config: unknown;
}

/**
 * A snapshot run on new data: the rows of a CSV as x^1 … x^R from s^0 = 0. A csv-task run reads its own columns,
 * normalised as in training, y^t predicting row t + 1 (put back into the data's units); other runs read m inputs,
 * optionally followed by n targets.
 */
export interface Prediction {
  /** The snapshot's step. */
  step: number;
  /** The names of the outputs (a csv run's columns; else the target columns' names, or y1 … yn). */
  outputs: string[];
  /** y^1 … y^R, one row of n per time step, in the data's units (logits for a cross-entropy run). */
  predictions: number[][];
  /** Each row's target (null where there is none: a csv run's last row), or null when the file has no targets. */
  targets: (number[] | null)[] | null;
  /** Σ_t E^t over the rows with a target, in the training loss's units (normalised for a csv run), or null. */
  loss: number | null;
  /** How many rows the loss sums over. */
  lossSteps: number;
  /** Whether the data were normalised as the run's csv task does (and the predictions put back). */
  normalized: boolean;
}
