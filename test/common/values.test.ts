import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ACTIVATIONS,
  CSV_NORMALIZATIONS,
  DTYPES,
  INIT_SCHEMES,
  LOSS_KINDS,
  METHOD_KINDS,
  METRICS_FORMATS,
  OPTIMIZER_KINDS,
  SCHEDULE_KINDS,
  TASK_KINDS,
  WEIGHT_FORMATS,
  orList,
  type LossKind,
  type OptimizerKind,
  type ScheduleKind,
} from '../../common/values';
import type { LossConfig, MethodConfig, MethodKind, OptimizerConfig, ScheduleConfig, TaskConfig, TaskKind } from '../../common/contract';
import { exportRequestSchema } from '../../main/transfer/handlers';
import { ConfigError, parseConfig } from '../../native-worker/config';

describe('the shared value lists', () => {
  it("name exactly the variants of the contract's config unions", () => {
    expectTypeOf<TaskConfig['kind']>().toEqualTypeOf<TaskKind>();
    expectTypeOf<MethodConfig['kind']>().toEqualTypeOf<MethodKind>();
    expectTypeOf<LossConfig['kind']>().toEqualTypeOf<LossKind>();
    expectTypeOf<OptimizerConfig['kind']>().toEqualTypeOf<OptimizerKind>();
    expectTypeOf<ScheduleConfig['kind']>().toEqualTypeOf<ScheduleKind>();
  });

  it('are what the config schema accepts, field by field', () => {
    for (const dtype of DTYPES) expect(parseConfig({ dtype }).dtype).toBe(dtype);
    for (const activation of ACTIVATIONS) expect(parseConfig({ model: { activation } }).model.activation).toBe(activation);
    for (const init of INIT_SCHEMES) expect(parseConfig({ model: { init } }).model.init).toBe(init);
    for (const normalize of CSV_NORMALIZATIONS)
      expect(parseConfig({ task: { kind: 'csv', csv: 'a\n1\n', normalize } }).task).toMatchObject({ normalize });
    for (const kind of TASK_KINDS) expect(parseConfig({ task: kind === 'csv' ? { kind, csv: 'a\n1\n' } : { kind } }).task.kind).toBe(kind);
    for (const kind of METHOD_KINDS) expect(parseConfig({ method: { kind } }).method.kind).toBe(kind);
    for (const kind of LOSS_KINDS) expect(parseConfig({ loss: { kind } }).loss.kind).toBe(kind);
    for (const kind of OPTIMIZER_KINDS) expect(parseConfig({ training: { optimizer: { kind } } }).training.optimizer.kind).toBe(kind);
    for (const kind of SCHEDULE_KINDS) expect(parseConfig({ training: { schedule: { kind } } }).training.schedule.kind).toBe(kind);
  });

  it('are all the config schema accepts: other values are refused naming the field', () => {
    const refused = (config: object) => {
      try {
        parseConfig(config);
        return null;
      } catch (e) {
        return e instanceof ConfigError ? e.issues[0].path : e;
      }
    };
    expect(refused({ dtype: 'float16' })).toBe('dtype');
    expect(refused({ model: { activation: 'gelu' } })).toBe('model.activation');
    expect(refused({ model: { init: 'he' } })).toBe('model.init');
    expect(refused({ task: { kind: 'csv', csv: 'a\n1\n', normalize: 'robust' } })).toBe('task.normalize');
  });

  it('are the formats an export request may ask for', () => {
    for (const format of WEIGHT_FORMATS)
      for (const dtype of DTYPES) {
        expect(exportRequestSchema.safeParse({ kind: 'weights', id: 1, step: null, format, dtype }).success).toBe(true);
      }
    for (const format of METRICS_FORMATS) expect(exportRequestSchema.safeParse({ kind: 'metrics', id: 1, format }).success).toBe(true);
    expect(exportRequestSchema.safeParse({ kind: 'weights', id: 1, step: null, format: 'pt', dtype: 'float64' }).success).toBe(false);
    expect(exportRequestSchema.safeParse({ kind: 'metrics', id: 1, format: 'parquet' }).success).toBe(false);
  });

  it('name the choices in messages as "a, b or c"', () => {
    expect(orList(TASK_KINDS)).toBe('sine, copy, adding, text or csv');
    expect(orList(['task.T'])).toBe('task.T');
  });
});
