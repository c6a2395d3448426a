// The CLI's flags for the common config fields, merged over a config file
// (when given) and the defaults. Every value still goes through the
// config schema, so a bad flag gets the same message a bad file would.

import { readFileSync } from 'node:fs';
import { ACTIVATIONS, DTYPES, LOSS_KINDS, METHOD_KINDS, OPTIMIZER_KINDS, TASK_KINDS } from '../../common/values';
import { ApiError } from '../runs/errors';
import type { Flag } from './args';

export const CONFIG_FLAGS = [
  {
    name: 'config',
    short: 'c',
    type: 'string',
    value: 'FILE',
    description: 'a JSON run config, whole or partial (omitted fields get their defaults); the flags below override it',
  },
  { name: 'task', type: 'string', values: TASK_KINDS, description: 'what the network learns (default sine)' },
  { name: 'data', type: 'string', value: 'FILE', description: 'the text task’s corpus, or the csv task’s table (required for csv)' },
  { name: 'T', type: 'string', value: 'N', description: 'time steps per training sequence' },
  { name: 'channels', type: 'string', value: 'N', description: 'sine waves (inputs and outputs) of the sine task' },
  { name: 'method', type: 'string', values: METHOD_KINDS, description: 'how gradients are computed (default rtrl)' },
  { name: 'truncation', type: 'string', value: 'K', description: 'truncated BPTT’s window (with --method tbptt)' },
  { name: 'hidden', short: 'd', type: 'string', value: 'N', description: 'hidden units d' },
  { name: 'activation', type: 'string', values: ACTIVATIONS, description: 'the hidden units’ nonlinearity f' },
  {
    name: 'loss',
    type: 'string',
    values: LOSS_KINDS,
    description: 'squared error, or softmax cross-entropy (one-hot targets only); default xent for copy and text, else mse',
  },
  { name: 'steps', type: 'string', value: 'N', description: 'training steps in all' },
  { name: 'batch', type: 'string', value: 'N', description: 'sequences per step' },
  { name: 'lr', type: 'string', value: 'X', description: 'learning rate' },
  { name: 'optimizer', type: 'string', values: OPTIMIZER_KINDS, description: 'the update rule (default adam)' },
  { name: 'seed', type: 'string', value: 'N', description: 'seed of the weights, the data and every other random draw' },
  { name: 'dtype', type: 'string', values: DTYPES, description: 'the engine’s number type' },
  { name: 'eval-every', type: 'string', value: 'N', description: 'steps between validation evaluations' },
  { name: 'snapshot-every', type: 'string', value: 'N', description: 'steps between snapshots (0: only at the end)' },
] as const satisfies readonly Flag[];

export type ConfigFlags = Partial<Record<(typeof CONFIG_FLAGS)[number]['name'], string>>;

/** True when any config flag is given. */
export const hasConfigFlags = (f: ConfigFlags): boolean => CONFIG_FLAGS.some((c) => f[c.name] !== undefined);

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
  if (f.loss) out.loss = { kind: f.loss };
  if (f.seed) out.seed = num('seed', f.seed);
  if (f.dtype) out.dtype = f.dtype;
  return out;
}

/**
 * The config of a new run from flags alone (train, gradcheck): a csv task
 * has no data of its own, so it needs --data (or a config file holding it).
 */
export function newRunConfig(f: ConfigFlags): unknown {
  const raw = configFromFlags(f);
  const task = obj(obj(raw).task);
  if (task.kind === 'csv' && task.csv === undefined)
    throw new ApiError('invalid-argument', '--task csv needs --data FILE.csv (the table to learn from: one row per time step)');
  return raw;
}

/**
 * Flags over a run's config, field by field: a part whose kind changes (a
 * task, method, loss, optimizer or schedule) is replaced whole, since its
 * fields belong to its kind.
 */
export function mergeOver(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const b = base as Json,
    o = over as Json;
  if ('kind' in o && o.kind !== b.kind) return over;
  const out: Json = { ...b };
  for (const [k, v] of Object.entries(o)) out[k] = mergeOver(out[k], v);
  return out;
}
