// The sweep calls of the API (SweepCalls in the contract): their argument
// schemas, which invoke() checks before any handler runs, and the handlers,
// which createHandlers spreads into the app's set. One SweepService per
// handler set holds the sweeps this process runs.

import { z } from 'zod';
import type { SweepCalls } from '../../common/sweep-contract';
import type { ArgsSchema } from '../api/handlers';
import type { RunManager } from '../runs/manager';
import type { Store } from '../store/store';
import { expandTrials } from './expand';
import { SweepService } from './service';
import { parseSweepSpec, SweepSpecError } from './spec';

const id = z.number().int().positive();

export const sweepSchemas = {
  'sweeps:list': z.null(),
  'sweeps:get': z.strictObject({ id }),
  'sweeps:check': z.strictObject({ spec: z.unknown() }),
  'sweeps:create': z.strictObject({ spec: z.unknown(), start: z.boolean() }),
  'sweeps:start': z.strictObject({ id }),
  'sweeps:stop': z.strictObject({ id }),
  'sweeps:delete': z.strictObject({ id, deleteRuns: z.boolean() }),
} satisfies { [K in keyof SweepCalls]: ArgsSchema<K> };

export type SweepHandlers = {
  [K in keyof SweepCalls]: (args: SweepCalls[K]['args']) => SweepCalls[K]['result'] | Promise<SweepCalls[K]['result']>;
};

export function createSweepHandlers(s: { store: Store; manager: RunManager }): SweepHandlers {
  const service = new SweepService(s);
  return {
    'sweeps:list': () => service.list(),
    'sweeps:get': (a) => service.get(a.id),
    'sweeps:check': ({ spec }) => {
      try {
        return { issues: [], trials: expandTrials(parseSweepSpec(spec)).length };
      } catch (e) {
        if (e instanceof SweepSpecError) return { issues: e.issues, trials: 0 };
        throw e;
      }
    },
    'sweeps:create': (a) => service.create(a.spec, a.start),
    'sweeps:start': (a) => service.start(a.id),
    'sweeps:stop': (a) => service.stop(a.id),
    'sweeps:delete': async (a) => {
      await service.delete(a.id, a.deleteRuns);
      return null;
    },
  };
}
