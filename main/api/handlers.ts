// One handler per API channel, shared by every transport (Electron IPC in
// the app, HTTP + WebSocket in `serve` mode, direct calls in the CLI and
// tests). Each validates its arguments with a schema at this boundary, and
// every failure comes back as { ok: false, error: { code, message } }
// (with the config's issues, field by field, for 'invalid-config'): no
// exception crosses to the caller.

import { z } from 'zod';
import { RUN_STATUSES } from '../../common/statuses';
import { TASK_KINDS } from '../../common/values';
import type { ApiCalls, ApiChannel, Result, WireError } from '../../common/contract';
import { ConfigError, ENGINE_VERSION, parseConfig } from '../../native-worker/engine-api';
import { ApiError } from '../runs/errors';
import { isBusy } from '../runs/write-queue';
import type { RunManager } from '../runs/manager';
import { createLabHandlers, labSchemas } from '../lab/handlers';
import { StoreError } from '../store/errors';
import type { Store } from '../store/store';
import { createSweepHandlers, sweepSchemas } from '../sweeps/handlers';
import { createTransferHandlers, transferSchemas } from '../transfer/handlers';
import { sampleRun } from './sample';
import type { WorkerChannel } from '../worker-host/channel';
import { WorkerError, WorkerHost } from '../worker-host/host';

export interface Services {
  store: Store;
  manager: RunManager;
  spawn: () => WorkerChannel;
  appVersion: string;
  databasePath: string;
}

const id = z.number().int().positive();
const step = z.number().int().min(0);

type Args<K extends ApiChannel> = ApiCalls[K]['args'];
type Out<K extends ApiChannel> = ApiCalls[K]['result'] | Promise<ApiCalls[K]['result']>;

/** A channel's argument schema: what it outputs is the contract's arguments, so a schema that drifts from ApiCalls does not compile. */
export type ArgsSchema<K extends ApiChannel> = z.ZodType<Args<K>>;

const schemas: { [K in ApiChannel]: ArgsSchema<K> } = {
  'app:info': z.null(),
  'config:defaults': z.strictObject({ task: z.enum(TASK_KINDS).nullable() }),
  'config:check': z.strictObject({ config: z.unknown() }),
  'config:time': z.strictObject({ config: z.unknown() }),
  'runs:list': z
    .strictObject({
      status: z.array(z.enum(RUN_STATUSES)).optional(),
      tag: z.string().optional(),
      search: z.string().max(1000).optional(),
      parentRunId: id.optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .nullable(),
  'runs:get': z.strictObject({ id }),
  'runs:params': z.strictObject({ ids: z.array(id).max(100_000).nullable() }),
  'runs:create': z.strictObject({
    config: z.unknown(),
    name: z.string().max(200).nullable(),
    tags: z.array(z.string().min(1).max(64)).max(64),
    notes: z.string().max(100_000),
    start: z.boolean(),
  }),
  'runs:start': z.strictObject({ id }),
  'runs:pause': z.strictObject({ id }),
  'runs:resume': z.strictObject({ id, steps: z.number().int().min(1).max(1e9).nullable() }),
  'runs:stop': z.strictObject({ id }),
  'runs:snapshot': z.strictObject({ id }),
  'runs:set-lr': z.strictObject({ id, lr: z.number().positive().max(1e3) }),
  'runs:update': z.strictObject({
    id,
    name: z.string().min(1).max(200).optional(),
    tags: z.array(z.string().min(1).max(64)).max(64).optional(),
    notes: z.string().max(100_000).optional(),
  }),
  'runs:delete': z.strictObject({ id }),
  'runs:fork': z.strictObject({ id, step: step.nullable(), config: z.unknown(), name: z.string().max(200).nullable(), start: z.boolean() }),
  'metrics:series': z.strictObject({
    id,
    series: z.string().min(1).max(64),
    from: step.nullable(),
    to: step.nullable(),
    maxPoints: z.number().int().min(4).max(100_000),
  }),
  'metrics:series-names': z.strictObject({ id }),
  'metrics:steps': z.strictObject({ id, from: step, to: step }),
  'metrics:eval-steps': z.strictObject({ id }),
  'metrics:eval': z.strictObject({ id, step }),
  'snapshots:list': z.strictObject({ id }),
  'snapshots:get': z.strictObject({ id, step }),
  'gradcheck:run': z.strictObject({ id, step: step.nullable() }),
  'gradcheck:list': z.strictObject({ id }),
  'lab:sample': z.strictObject({
    id,
    step: step.nullable(),
    length: z.number().int().min(1).max(100_000),
    temperature: z.number().positive().max(100),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
  ...transferSchemas,
  ...labSchemas,
  ...sweepSchemas,
};

export type Handlers = { [K in ApiChannel]: (args: Args<K>) => Out<K> };

export function createHandlers(s: Services): Handlers {
  const { store, manager } = s;
  /** The worker timing a config for config:time, if one is. */
  let timing: WorkerHost | null = null;
  const run = (runId: number) => {
    const r = store.getRun(runId);
    if (!r) throw new ApiError('no-such-run', `run ${runId} does not exist`);
    return r;
  };
  return {
    'app:info': () => ({
      appVersion: s.appVersion,
      engineVersion: ENGINE_VERSION,
      databasePath: s.databasePath,
      maxConcurrentRuns: manager.maxConcurrent,
    }),
    'config:defaults': ({ task }) => {
      if (task !== 'csv') return parseConfig(task === null ? {} : { task: { kind: task } });
      // A CSV task has no default data: every other field gets its default, the content stays empty for the user to fill.
      const c = parseConfig({ task: { kind: 'csv', csv: ' ' } });
      return { ...c, task: { ...c.task, csv: '' } };
    },
    'config:check': ({ config }) => manager.check(config),
    'config:time': async ({ config }) => {
      const checked = manager.check(config).config;
      // one timing at a time: a newer config (the form being edited) replaces the one being timed
      timing?.kill();
      const host = (timing = new WorkerHost(s.spawn()));
      try {
        const t0 = performance.now();
        await host.ready;
        const startMs = performance.now() - t0;
        const t = await host.time(checked);
        return { ...t, startMs, totalMs: t.totalMs + startMs };
      } catch (e) {
        if (timing !== host) throw new ApiError('superseded', 'a newer config was sent to be timed');
        throw e;
      } finally {
        host.kill();
        if (timing === host) timing = null;
      }
    },
    'runs:list': (filter) => store.listRuns(filter ?? undefined),
    'runs:get': ({ id: runId }) => run(runId),
    'runs:params': ({ ids }) => store.runParams(ids),
    'runs:create': (a) => {
      const created = manager.create({ config: a.config, name: a.name, tags: a.tags, notes: a.notes });
      if (a.start) manager.start(created.id);
      return run(created.id);
    },
    'runs:start': ({ id: runId }) => manager.start(runId),
    'runs:pause': ({ id: runId }) => manager.pause(runId),
    'runs:resume': ({ id: runId, steps }) => manager.resume(runId, steps),
    'runs:stop': ({ id: runId }) => manager.stop(runId),
    'runs:snapshot': async ({ id: runId }) => {
      await manager.snapshot(runId);
      return null;
    },
    'runs:set-lr': async ({ id: runId, lr }) => {
      await manager.setLr(runId, lr);
      return null;
    },
    'runs:update': ({ id: runId, ...patch }) => store.updateRun(run(runId).id, patch),
    'runs:delete': async ({ id: runId }) => {
      await manager.delete(runId);
      return null;
    },
    'runs:fork': (a) => {
      const forked = manager.fork({ id: a.id, step: a.step, config: a.config, name: a.name });
      if (a.start) manager.start(forked.id);
      return run(forked.id);
    },
    'metrics:series': (a) =>
      store.readSeries(run(a.id).id, a.series, { from: a.from ?? undefined, to: a.to ?? undefined, maxPoints: a.maxPoints }),
    'metrics:series-names': ({ id: runId }) => store.listSeries(run(runId).id),
    'metrics:steps': (a) => store.readSteps(run(a.id).id, a.from, a.to),
    'metrics:eval-steps': ({ id: runId }) => store.listEvalSteps(run(runId).id),
    'metrics:eval': (a) => store.evalAt(run(a.id).id, a.step),
    'snapshots:list': ({ id: runId }) => store.listSnapshots(run(runId).id),
    'snapshots:get': (a) => {
      const c = store.checkpointAt(run(a.id).id, a.step);
      if (!c || c.step !== a.step) throw new ApiError('no-snapshot', `run ${a.id} has no snapshot at step ${a.step}`);
      return { step: c.step, weights: c.weights };
    },
    'gradcheck:run': async (a) => {
      const r = run(a.id);
      const checkpoint = a.step === null ? store.latestCheckpoint(r.id) : store.checkpointAt(r.id, a.step);
      const host = new WorkerHost(s.spawn());
      try {
        await host.ready;
        const report = await host.gradCheck(r.config, checkpoint);
        const saved = store.saveGradCheck(r.id, report);
        const stored = store.listGradChecks(r.id).find((g) => g.id === saved);
        if (!stored) throw new ApiError('internal', 'the gradient check was not stored');
        return stored;
      } finally {
        host.kill();
      }
    },
    'gradcheck:list': ({ id: runId }) => store.listGradChecks(run(runId).id),
    'lab:sample': (a) => sampleRun(store, run(a.id), a),
    ...createTransferHandlers(s),
    ...createLabHandlers(s),
    ...createSweepHandlers(s),
  };
}

/** Call a handler with untrusted arguments: validate, run, and wrap the outcome. */
export async function invoke(handlers: Handlers, channel: string, args: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-channel', message: `no such call: ${channel}` } };
  return call(handlers, channel, args === undefined ? null : args);
}

const isChannel = (channel: string): channel is ApiChannel => Object.hasOwn(schemas, channel);

async function call<K extends ApiChannel>(handlers: Handlers, channel: K, args: unknown): Promise<Result<ApiCalls[K]['result']>> {
  const parsed = schemas[channel].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'arguments';
    return { ok: false, error: { code: 'invalid-argument', message: `${channel}: ${where}: ${issue.message}` } };
  }
  try {
    return { ok: true, value: await handlers[channel](parsed.data) };
  } catch (e) {
    return { ok: false, error: toWireError(e) };
  }
}

export function toWireError(e: unknown): WireError {
  if (e instanceof ConfigError) return { code: 'invalid-config', message: e.message, issues: e.issues };
  if (e instanceof ApiError || e instanceof StoreError) return { code: e.code, message: e.message };
  if (e instanceof WorkerError) return { code: e.code, message: e.message, ...(e.issues && { issues: e.issues }) };
  if (isBusy(e))
    return { code: 'busy', message: 'the database is locked by another program right now; nothing was changed, try again in a moment' };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
