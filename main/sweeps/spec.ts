// A sweep's specification: a name, a base run config, and either a grid
// (config path → values, every combination) or random search (config path →
// distribution, `trials` draws from the sweep seed); optional `seeds`
// repeat every trial once per run seed, and `earlyStopping` stops weak
// trials at rungs (asha.ts). Every bad value gets a message naming its
// field, down to the run config's own fields for the values a path sets.

import { z } from 'zod';
import type { RunConfig } from '../../common/contract';
import { ConfigError, parseConfig } from '../../native-worker/engine-api';

const int = (min: number, max: number) =>
  z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const finite = () => z.number().finite('must be a finite number');

const distribution = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('uniform'), min: finite(), max: finite() }),
      z.strictObject({ kind: z.literal('logUniform'), min: finite().positive('must be greater than 0'), max: finite() }),
      z.strictObject({ kind: z.literal('int'), min: int(-1e15, 1e15), max: int(-1e15, 1e15) }),
      z.strictObject({ kind: z.literal('choice'), values: z.array(z.unknown()).min(1, 'must list at least one value') }),
    ],
    { error: (iss) => (iss.code === 'invalid_union' ? 'must be one of uniform, logUniform, int, choice' : undefined) },
  )
  .superRefine((d, ctx) => {
    if (d.kind !== 'choice' && !(d.max > d.min))
      ctx.addIssue({ code: 'custom', path: ['max'], message: `must be greater than min (${d.min})` });
  });

export type Distribution = z.output<typeof distribution>;

/** The largest number of trials one sweep may hold (grid combinations × seeds, or trials × seeds). */
export const MAX_TRIALS = 10_000;

const earlyStopping = z.strictObject({
  kind: z.literal('asha', 'must be "asha" (asynchronous successive halving)'),
  metric: z.enum(['validationLoss', 'loss'], 'must be validationLoss or loss').default('validationLoss'),
  minSteps: int(1, 1e9),
  reductionFactor: int(2, 1000).default(3),
});

export type EarlyStopping = z.output<typeof earlyStopping>;

const specSchema = z
  .strictObject({
    name: z
      .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(1, 'is empty')
      .max(200, 'must be at most 200 characters'),
    base: z.record(z.string(), z.unknown(), 'must be an object (a run config)').default({}),
    grid: z
      .record(z.string(), z.array(z.unknown(), 'must be a list of values').min(1, 'must list at least one value'), 'must be an object')
      .optional(),
    random: z.record(z.string(), distribution, 'must be an object').optional(),
    trials: int(1, MAX_TRIALS).optional(),
    seed: int(0, 0xffffffff).default(0),
    seeds: z.array(int(0, 0xffffffff)).min(1, 'must list at least one seed').optional(),
    earlyStopping: earlyStopping.optional(),
  })
  .superRefine((s, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if ((s.grid === undefined) === (s.random === undefined)) issue([], 'give either "grid" or "random"');
    if (s.random !== undefined && s.trials === undefined) issue(['trials'], 'is required with "random" (how many draws)');
    if (s.grid !== undefined && s.trials !== undefined) issue(['trials'], 'belongs to "random"; a grid runs every combination');
    const params = s.grid ?? s.random ?? {};
    if (s.grid && Object.keys(s.grid).length === 0) issue(['grid'], 'has no parameters');
    if (s.random && Object.keys(s.random).length === 0) issue(['random'], 'has no parameters');
    if (s.seeds && 'seed' in params) issue(['seeds'], 'cannot be given while "seed" is also swept');
    const count = (s.grid ? Object.values(s.grid).reduce((n, v) => n * v.length, 1) : (s.trials ?? 1)) * (s.seeds?.length ?? 1);
    if (count > MAX_TRIALS) issue([], `expands to ${count} trials; at most ${MAX_TRIALS} are allowed`);
  });

export type SweepSpec = z.output<typeof specSchema>;

export class SweepSpecError extends Error {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'SweepSpecError';
  }
}

/** A config path's segments ("training.lr" → ["training", "lr"]). */
export const pathSegments = (path: string): string[] => path.split('.');

/** `config` with the value at `path` replaced (objects on the way copied, made where missing). */
export function setPath(config: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = pathSegments(path);
  if (rest.length === 0) return { ...config, [head]: value };
  const inner = config[head];
  const obj = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...config, [head]: setPath(obj, rest.join('.'), value) };
}

/** The run config of one trial: the base with the trial's values set, and its seed. */
export function trialConfig(spec: SweepSpec, params: Record<string, unknown>, seed: number | null): RunConfig {
  let raw = spec.base;
  for (const [path, value] of Object.entries(params)) raw = setPath(raw, path, value);
  return parseConfig(seed === null ? raw : { ...raw, seed });
}

/**
 * Validate a spec: its own fields, the base config, and every value a path
 * may set (each grid value; a distribution's bounds and choices) against
 * the run config's schema, so a misspelt path or a value out of range is
 * named before any run exists. Throws SweepSpecError listing every problem.
 */
export function parseSweepSpec(raw: unknown): SweepSpec {
  const r = specSchema.safeParse(raw, { error: message });
  if (!r.success) throw new SweepSpecError(r.error.issues.map((i) => ({ field: fieldName(i.path), message: i.message })));
  const spec = r.data;
  const issues: { field: string; message: string }[] = [];
  const check = (field: string, raw: Record<string, unknown>) => {
    try {
      parseConfig(raw);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const i of e.issues) issues.push({ field, message: `${i.path}: ${i.message}` });
    }
  };
  check('base', spec.base);
  if (issues.length) throw new SweepSpecError(issues);
  for (const [path, values] of Object.entries(spec.grid ?? {}))
    values.forEach((v, i) => check(`${fieldName(['grid', path])}[${i}]`, setPath(spec.base, path, v)));
  for (const [path, d] of Object.entries(spec.random ?? {})) {
    const field = fieldName(['random', path]);
    if (d.kind === 'choice') d.values.forEach((v, i) => check(`${field}.values[${i}]`, setPath(spec.base, path, v)));
    else for (const end of ['min', 'max'] as const) check(`${field}.${end}`, setPath(spec.base, path, d[end]));
  }
  if (issues.length) throw new SweepSpecError(issues);
  return spec;
}

/** A zod path as the spec's field: keys holding a dot (config paths) in brackets: random["training.lr"].max. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'spec';
  return path
    .map((p, i) =>
      typeof p === 'number' ? `[${p}]` : String(p).includes('.') ? `[${JSON.stringify(String(p))}]` : `${i ? '.' : ''}${String(p)}`,
    )
    .join('');
}

/** Zod's messages where they do not read as the rest: a missing field, an unknown one. */
function message(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'invalid_type' && iss.input === undefined) return 'is required';
  if (iss.code === 'unrecognized_keys') return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
  return undefined;
}
