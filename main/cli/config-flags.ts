// The CLI's flags for the common config fields, merged over a config file
// (when given) and the defaults. Every value still goes through the
// config schema, so a bad flag gets the same message a bad file would.

import { readFileSync } from 'node:fs';
import { ApiError } from '../runs/errors';

export const CONFIG_FLAGS = {
  config: { type: 'string', short: 'c' },
  task: { type: 'string' },
  method: { type: 'string' },
  hidden: { type: 'string', short: 'd' },
  T: { type: 'string' },
  channels: { type: 'string' },
  steps: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  optimizer: { type: 'string' },
  seed: { type: 'string' },
  activation: { type: 'string' },
  truncation: { type: 'string' },
  data: { type: 'string' },
  dtype: { type: 'string' },
  'eval-every': { type: 'string' },
  'snapshot-every': { type: 'string' },
} as const;

export type ConfigFlags = Partial<Record<keyof typeof CONFIG_FLAGS, string>>;

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new ApiError('invalid-argument', `--${flag}: "${v}" is not a number`);
  return n;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/** A raw config (validated later by the schema) from a file and flags. */
export function configFromFlags(f: ConfigFlags): unknown {
  let base: Json = {};
  if (f.config) {
    let text: string;
    try {
      text = readFileSync(f.config, 'utf8');
    } catch (e) {
      throw new ApiError('invalid-argument', `--config: cannot read ${f.config}: ${(e as Error).message}`);
    }
    try {
      base = obj(JSON.parse(text));
    } catch (e) {
      throw new ApiError('invalid-config', `${f.config}: not valid JSON: ${(e as Error).message}`);
    }
  }
  const task: Json = { ...obj(base.task) };
  if (f.task) {
    if (f.task !== task.kind) for (const k of Object.keys(task)) delete task[k];
    task.kind = f.task;
  }
  if (f.T) task.T = num('T', f.T);
  if (f.channels) task.channels = num('channels', f.channels);
  if (f.data) {
    const kind = task.kind ?? 'sine';
    if (kind !== 'text' && kind !== 'csv')
      throw new ApiError('invalid-argument', '--data: only the text and csv tasks read a data file (add --task text or --task csv)');
    let content: string;
    try {
      content = readFileSync(f.data, 'utf8');
    } catch (e) {
      throw new ApiError('invalid-argument', `--data: cannot read ${f.data}: ${(e as Error).message}`);
    }
    task[kind === 'text' ? 'text' : 'csv'] = content;
  }
  const model: Json = { ...obj(base.model) };
  if (f.hidden) model.hidden = num('hidden', f.hidden);
  if (f.activation) model.activation = f.activation;
  const training: Json = { ...obj(base.training) };
  if (f.steps) training.steps = num('steps', f.steps);
  if (f.batch) training.batchSize = num('batch', f.batch);
  if (f.lr) training.lr = num('lr', f.lr);
  if (f.optimizer) training.optimizer = { kind: f.optimizer };
  if (f['eval-every']) training.evalEvery = num('eval-every', f['eval-every']);
  if (f['snapshot-every']) training.snapshotEvery = num('snapshot-every', f['snapshot-every']);
  const out: Json = { ...base };
  if (Object.keys(task).length) out.task = { kind: 'sine', ...task }; // --T alone means the default task's T
  if (Object.keys(model).length) out.model = model;
  if (Object.keys(training).length) out.training = training;
  const methodKind = f.method ?? obj(base.method).kind;
  if (f.truncation && methodKind !== 'tbptt') {
    throw new ApiError(
      'invalid-argument',
      `--truncation: only truncated BPTT has a truncation length; it needs --method tbptt${methodKind === undefined ? '' : ` (the method is ${String(methodKind)})`}`,
    );
  }
  if (f.method)
    out.method =
      f.method === 'tbptt' ? { kind: 'tbptt', ...(f.truncation ? { k: num('truncation', f.truncation) } : {}) } : { kind: f.method };
  else if (f.truncation) out.method = { ...obj(base.method), k: num('truncation', f.truncation) };
  if (f.seed) out.seed = num('seed', f.seed);
  if (f.dtype) out.dtype = f.dtype;
  return out;
}
