// The text parts of a run archive: the manifest and the JSON-lines files of
// steps, evals and gradient checks. Every float64 survives the trip: numbers
// JSON cannot hold exactly (NaN, ±Infinity, -0) are written as the strings
// "NaN", "Infinity", "-Infinity", "-0", and turned back only where the
// schema expects a number. Each line is checked against its schema on the
// way in, and an error names the file, the line and the field.

import { z } from 'zod';
import type { EvalMetrics, GradCheckReport, RunStatus, StepMetrics } from '../../common/contract';
import { RUN_STATUSES } from '../../common/statuses';
import { BASELINE_KINDS, MATRIX_NAMES } from '../../common/values';
import { healthSchema, labSchemaOf } from '../store/evals';
import { badFile, TransferError } from './errors';
import { parseJsonText } from './json-text';

export const ARCHIVE_FORMAT = 'rnn-workbench-run';
export const ARCHIVE_VERSION = 1;
/** The latest time a JavaScript Date holds (ECMA-262 21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

export function exactStringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (Object.is(v, -0)) return '-0';
    return Number.isFinite(v) ? v : String(v);
  });
}

const exact = z
  .union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity', '-0'])])
  .transform((v) => (typeof v === 'number' ? v : v === '-0' ? -0 : Number(v)));
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const matrixName = z.enum(MATRIX_NAMES);
const perMatrix = z.partialRecord(matrixName, exact);

const stepSchema = z.strictObject({
  step: count,
  loss: exact,
  lr: exact,
  gradNorm: perMatrix,
  weightNorm: perMatrix,
  updateRatio: perMatrix,
  spectralRadius: exact,
  saturation: exact,
  timestepsPerSec: exact,
  wallMs: exact,
}) satisfies z.ZodType<StepMetrics, unknown>;

const histogram = z.strictObject({ lo: exact, hi: exact, counts: z.array(count), under: count, over: count, nan: count.optional() });
const evalSchema = z.strictObject({
  step: count,
  validationLoss: exact,
  histograms: z.strictObject({ weights: z.partialRecord(matrixName, histogram), grads: z.partialRecord(matrixName, histogram) }),
  probe: z.strictObject({
    T: count.max(100_000),
    d: count,
    n: count,
    hidden: z.array(exact),
    outputs: z.array(exact),
    targets: z.array(exact),
  }),
  eigenvalues: z.array(exact),
  /** Absent in archives of runs from before the health monitor. */
  health: healthSchema.optional(),
  baselines: z.array(z.strictObject({ kind: z.enum(BASELINE_KINDS), loss: exact })).optional(),
  /** Absent in archives of runs from before the gradient lab's evaluations. */
  lab: labSchemaOf(exact).optional(),
}) satisfies z.ZodType<EvalMetrics, unknown>;

const gradCheckSchema = z.strictObject({
  rtrlVsBptt: perMatrix,
  rtrlVsFiniteDiff: perMatrix,
  bpttVsFiniteDiff: perMatrix,
  checked: perMatrix,
  worst: exact,
  step: count,
}) satisfies z.ZodType<GradCheckReport, unknown>;

export const snapshotMetaSchema = z.strictObject({
  step: count,
  baseLr: z.number().positive().max(1e3), // as a config's training.lr
  optimizerT: count,
  buffers: z.number().int().min(0).max(64),
  carry: z.boolean(),
  /** The spectral estimate's state (spectral-rng.npy, and spectral-start.npy when it has a direction); absent in older archives. */
  spectral: z.strictObject({ start: z.boolean() }).nullable().optional(),
});
export type SnapshotMeta = z.infer<typeof snapshotMetaSchema>;

const text = (max: number) => z.string().max(max);
export const manifestSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int(),
  appVersion: text(100),
  run: z.strictObject({
    name: text(200).min(1),
    status: z.enum(RUN_STATUSES),
    engineVersion: text(100).nullable(),
    appVersion: text(100),
    createdAt: count.max(MAX_DATE_MS, 'must be a time a date can hold (ms since 1970, at most 8.64e15)'),
    tags: z.array(text(64).min(1)).max(64),
    notes: text(100_000),
    endMessage: text(100_000).nullable(),
    parentRunId: count.nullable(),
    parentStep: count.nullable(),
  }),
  config: z.unknown(),
  snapshots: z.array(count).max(100_000),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Parses one JSON document against a schema; errors name the file (and line) and the field. */
export function parseWith<T>(schema: z.ZodType<T, unknown>, json: string, where: string): T {
  const raw = parseJsonText(json, where);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badFile(`${where}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return parsed.data;
}

export function manifestOf(bytes: Uint8Array | undefined, what: string): Manifest {
  if (bytes === undefined) throw badFile(`${what}: not a run archive (it has no manifest.json)`);
  const raw = parseWith(
    z.looseObject({ format: z.unknown(), formatVersion: z.unknown() }),
    utf8(bytes, `${what}: manifest.json`),
    `${what}: manifest.json`,
  );
  if (raw.format !== ARCHIVE_FORMAT)
    throw badFile(`${what}: manifest.json: format is ${JSON.stringify(raw.format)}, not "${ARCHIVE_FORMAT}"`);
  if (raw.formatVersion !== ARCHIVE_VERSION) {
    throw new TransferError(
      'unsupported',
      `${what}: archive format version ${JSON.stringify(raw.formatVersion)}; this app reads version ${ARCHIVE_VERSION}`,
    );
  }
  return parseWith(manifestSchema, utf8(bytes, `${what}: manifest.json`), `${what}: manifest.json`);
}

/**
 * Each non-blank line parsed against the schema, with its line number. The
 * lines are decoded one at a time: a long run's steps.jsonl is larger than
 * one string can be.
 */
function* lines<T>(schema: z.ZodType<T, unknown>, bytes: Uint8Array | undefined, where: string): Generator<{ value: T; line: number }> {
  if (bytes === undefined) return;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let start = 0, line = 1; start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const at = `${where} line ${line}`;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(start, end));
    } catch {
      throw badFile(`${at}: not UTF-8 text`);
    }
    if (text.trim() !== '') yield { value: parseWith(schema, text, at), line };
    start = end + 1;
  }
}

export const readSteps = (b: Uint8Array | undefined, where: string): Generator<{ value: StepMetrics; line: number }> =>
  lines(stepSchema, b, where);
export const readEvals = (b: Uint8Array | undefined, where: string): { value: EvalMetrics; line: number }[] => [
  ...lines(evalSchema, b, where),
];
export const readGradChecks = (b: Uint8Array | undefined, where: string): GradCheckReport[] =>
  Array.from(lines(gradCheckSchema, b, where), (l) => l.value);

export function jsonLines(rows: readonly unknown[]): Uint8Array {
  return Buffer.from(rows.map((r) => exactStringify(r) + '\n').join(''), 'utf8');
}

export function utf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badFile(`${where}: not UTF-8 text`);
  }
}

/** What an imported run's status becomes: an ended run keeps its status; one that was training is 'stopped'. */
export function importedStatus(status: RunStatus, hasSteps: boolean): RunStatus {
  if (status === 'created') return hasSteps ? 'stopped' : 'created';
  return status === 'queued' || status === 'running' || status === 'paused' ? 'stopped' : status;
}
