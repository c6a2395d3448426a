// A transport for store and component tests: answers from the test's own
// handlers (a thrown { code, message, issues } becomes a failed Result), records
// every call, and lets the test push main's events.

import type {
  ApiCalls,
  ApiChannel,
  ApiEvent,
  ApiEvents,
  ConfigIssue,
  CostEstimate,
  Result,
  RunConfig,
  RunSummary,
} from '../../../common/contract';
import { ConfigError, parseConfig } from '../../../native-worker/config';
import { setTransport } from '../../../renderer/api';

export type FakeHandlers = { [K in ApiChannel]?: (args: ApiCalls[K]['args']) => ApiCalls[K]['result'] | Promise<ApiCalls[K]['result']> };

export class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: ConfigIssue[],
  ) {
    super(message);
  }
}

export interface FakeApi {
  calls: { channel: ApiChannel; args: unknown }[];
  emit<E extends ApiEvent>(event: E, payload: ApiEvents[E]): void;
  reconnect(): void;
  callsTo(channel: ApiChannel): unknown[];
}

export function installFakeApi(handlers: FakeHandlers): FakeApi {
  const calls: FakeApi['calls'] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const reconnects = new Set<() => void>();
  setTransport({
    async call<K extends ApiChannel>(channel: K, args: ApiCalls[K]['args']): Promise<Result<ApiCalls[K]['result']>> {
      calls.push({ channel, args: JSON.parse(JSON.stringify(args)) });
      const h = handlers[channel] as ((a: unknown) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: 'unknown-channel', message: `no fake for ${channel}` } };
      try {
        return { ok: true, value: (await h(args)) as ApiCalls[K]['result'] };
      } catch (e) {
        if (e instanceof Refused) return { ok: false, error: { code: e.code, message: e.message, issues: e.issues } };
        if (e instanceof ConfigError) return { ok: false, error: { code: 'invalid-config', message: e.message, issues: e.issues } };
        throw e;
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    onReconnect(listener) {
      reconnects.add(listener);
      return () => reconnects.delete(listener);
    },
  });
  return {
    calls,
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
    reconnect: () => reconnects.forEach((l) => l()),
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.args),
  };
}

export const ESTIMATE: CostEstimate = {
  m: 4,
  n: 4,
  d: 32,
  parameters: 1280,
  workingBytes: 589_824,
  flopsPerStep: 60_000_000,
  warnings: [],
};

/** config:defaults and config:check answered by the engine's own schema (its real messages). */
export const configHandlers: FakeHandlers = {
  'config:defaults': ({ task }) => parseConfig(task === null ? {} : { task: { kind: task, ...(task === 'csv' ? { csv: 'a\n1' } : {}) } }),
  'config:check': ({ config }) => ({ config: parseConfig(config), estimate: ESTIMATE }),
};

export function summary(id: number, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `run ${id}`,
    status: 'completed',
    taskKind: 'sine',
    methodKind: 'rtrl',
    seed: 1,
    engineVersion: '1',
    appVersion: '0.1.0',
    createdAt: 1_700_000_000_000 + id,
    startedAt: null,
    updatedAt: 1_700_000_000_000 + id,
    finishedAt: null,
    tags: [],
    notes: '',
    parentRunId: null,
    parentStep: null,
    lastStep: 100,
    bestValidationLoss: 0.5,
    endMessage: null,
    health: null,
    hidden: 8,
    batchSize: 1,
    totalSteps: 100,
    ...over,
  };
}

export function record(id: number, config: RunConfig = parseConfig({}), over: Partial<RunSummary> = {}) {
  return { ...summary(id, over), config };
}
