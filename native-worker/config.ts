// The run configuration's schema: defaults for every field, and a clear
// message naming the field for every invalid value. The shape is declared in
// common/contract.ts; the check at the bottom keeps the two identical.

import { z } from 'zod';
import { ACTIVATIONS, CSV_NORMALIZATIONS, defaultLossKind, DTYPES, INIT_SCHEMES, TASK_KINDS, type TaskKind } from '../common/values';
import type { ConfigIssue, ConfigPath, RunConfig } from '../common/contract';
import { METHODS } from './methods/table';

const int = (min: number, max: number) =>
  z.number().int(`must be a whole number`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const positive = () => z.number().positive('must be greater than 0');
const fraction = () => z.number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1');

const task = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('sine'),
      channels: int(1, 256).default(4),
      T: int(1, 100_000).default(50),
      validationSequences: int(1, 1000).default(8),
    }),
    z.strictObject({
      kind: z.literal('copy'),
      symbols: int(1, 64).default(8),
      length: int(1, 1000).default(5),
      delay: int(0, 10_000).default(10),
      validationSequences: int(1, 1000).default(32),
    }),
    z.strictObject({ kind: z.literal('adding'), T: int(2, 100_000).default(50), validationSequences: int(1, 1000).default(64) }),
    z.strictObject({
      kind: z.literal('text'),
      text: z.string().min(1, 'is empty').nullable().default(null),
      T: int(1, 100_000).default(50),
      validationFraction: fraction().default(0.1),
    }),
    z.strictObject({
      kind: z.literal('csv'),
      csv: z.string().min(1, 'is empty: give the CSV file content'),
      T: int(1, 100_000).default(50),
      normalize: z.enum(CSV_NORMALIZATIONS).default('zscore'),
      validationFraction: fraction().default(0.2),
    }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? 'must be one of sine, copy, adding, text, csv' : undefined) },
);

const model = z.strictObject({
  hidden: int(1, 4096).default(32),
  activation: z.enum(ACTIVATIONS).default('tanh'),
  hiddenBias: z.boolean().default(false),
  outputBias: z.boolean().default(false),
  init: z.enum(INIT_SCHEMES).default('uniform'),
  gain: positive().default(1),
});

const method = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('rtrl') }),
    z.strictObject({ kind: z.literal('rtrl-fast') }),
    z.strictObject({ kind: z.literal('rtrl-online') }),
    z.strictObject({ kind: z.literal('bptt') }),
    z.strictObject({ kind: z.literal('tbptt'), k: int(1, 100_000).default(10) }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? 'must be one of rtrl, rtrl-online, bptt, tbptt, rtrl-fast' : undefined) },
);

const loss = z.discriminatedUnion(
  'kind',
  [z.strictObject({ kind: z.literal('mse'), scale: positive().nullable().default(null) }), z.strictObject({ kind: z.literal('xent') })],
  { error: (iss) => (iss.code === 'invalid_union' ? 'must be mse or xent' : undefined) },
);

const beta = () => z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)');
const optimizer = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('sgd') }),
    z.strictObject({ kind: z.literal('momentum'), momentum: beta().default(0.9), nesterov: z.boolean().default(false) }),
    z.strictObject({ kind: z.literal('adagrad'), eps: positive().default(1e-10) }),
    z.strictObject({ kind: z.literal('rmsprop'), rho: beta().default(0.99), eps: positive().default(1e-8) }),
    z.strictObject({ kind: z.literal('adam'), beta1: beta().default(0.9), beta2: beta().default(0.999), eps: positive().default(1e-8) }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? 'must be one of sgd, momentum, adagrad, rmsprop, adam' : undefined) },
);

const schedule = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('constant') }),
    z.strictObject({
      kind: z.literal('step'),
      every: int(1, 1e9).default(1000),
      factor: positive().max(1, 'must be at most 1').default(0.5),
    }),
    z.strictObject({ kind: z.literal('exponential'), gamma: positive().max(1, 'must be at most 1').default(0.999) }),
    z.strictObject({
      kind: z.literal('cosine'),
      period: int(1, 1e9).default(1000),
      minLr: z.number().min(0, 'must be at least 0').default(0),
    }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? 'must be one of constant, step, exponential, cosine' : undefined) },
);

const training = z.strictObject({
  steps: int(1, 1e9).default(1000),
  batchSize: int(1, 4096).default(1),
  lr: positive().max(1e3, 'must be at most 1000').default(0.003),
  optimizer: optimizer.prefault({ kind: 'adam' }),
  schedule: schedule.prefault({ kind: 'constant' }),
  weightDecay: z.number().min(0, 'must be at least 0').default(0),
  clipNorm: positive().nullable().default(null),
  clipValue: positive().nullable().default(null),
  evalEvery: int(1, 1e9).default(50),
  snapshotEvery: int(0, 1e9).default(500),
  spectralEvery: int(0, 1e9).default(20),
  divergenceFactor: z.number().gt(1, 'must be greater than 1 (or null: end only on non-finite values)').nullable().default(1e6),
});

export const runConfigSchema = z
  .strictObject({
    seed: int(0, 0xffffffff).default(1),
    dtype: z.enum(DTYPES).default('float64'),
    task: task.prefault({ kind: 'sine' }),
    model: model.prefault({}),
    method: method.prefault({ kind: 'rtrl' }),
    loss: loss.prefault({ kind: 'mse' }),
    training: training.prefault({}),
    rtrlMemoryLimit: int(1, Number.MAX_SAFE_INTEGER).default(512 * 1024 * 1024),
  })
  .superRefine((c, ctx) => {
    if (METHODS[c.method.kind].online && c.training.batchSize !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['training', 'batchSize'],
        message: `must be 1 for ${c.method.kind} (it updates the weights at every time step of one stream)`,
      });
    }
    if (c.training.schedule.kind === 'cosine' && c.training.schedule.minLr > c.training.lr) {
      ctx.addIssue({
        code: 'custom',
        path: ['training', 'schedule', 'minLr'],
        message: `must not exceed the learning rate ${c.training.lr}`,
      });
    }
  });

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parse a (possibly partial) config, filling defaults; throws ConfigError naming every bad field. */
export function parseConfig(raw: unknown): RunConfig {
  const r = runConfigSchema.safeParse(withTaskLoss(raw ?? {}), { error: typeMessage });
  if (!r.success) {
    // zod's paths are the schema's, and the check at the bottom holds the schema's type equal to RunConfig
    throw new ConfigError(
      r.error.issues.map((i) => ({ path: i.path.length ? (i.path.join('.') as ConfigPath) : 'config', message: unrecognized(i) })),
    );
  }
  return r.data;
}

/** A config that names no loss gets its task's default (cross-entropy for one-hot targets). */
function withTaskLoss(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || 'loss' in raw) return raw;
  const kind = (raw as { task?: { kind?: unknown } }).task?.kind ?? 'sine';
  return TASK_KINDS.includes(kind as TaskKind) ? { ...raw, loss: { kind: defaultLossKind(kind as TaskKind) } } : raw;
}

function typeMessage(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code !== 'invalid_type') return undefined;
  if (iss.input === undefined) return 'is required';
  const got = typeof iss.input === 'number' ? String(iss.input) : iss.input === null ? 'null' : typeof iss.input;
  return `must be ${iss.expected === 'number' ? 'a finite number' : `a ${iss.expected}`}, got ${got}`;
}

function unrecognized(i: z.core.$ZodIssue): string {
  return i.code === 'unrecognized_keys'
    ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`
    : i.message;
}

export const defaultConfig = (): RunConfig => parseConfig({});

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaMatchesContract: Equal<z.output<typeof runConfigSchema>, RunConfig> = true;
void schemaMatchesContract;
