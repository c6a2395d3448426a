// The gradient lab's API calls (LabCalls in the contract): their argument
// schemas, which invoke() checks before any handler runs, and the handlers,
// which createHandlers spreads into the app's set. Every computation runs
// in a worker (jobs.ts), after a size check from the config alone.

import { z } from 'zod';
import type { Checkpoint, LabCalls } from '../../common/contract';
import { labLimitMessage } from '../../native-worker/engine-api';
import type { ArgsSchema, Services } from '../api/handlers';
import { ApiError } from '../runs/errors';
import { LabJobs } from './jobs';

const id = z.number().int().positive();
const step = z.number().int().min(0);
/** The caller's name for a job. */
const job = z.string().min(1).max(100);

export const labSchemas: { [K in keyof LabCalls]: ArgsSchema<K> } = {
  'lab:inspect': z.strictObject({ id, step: step.nullable(), job }),
  'lab:referee': z.strictObject({ id, step: step.nullable(), job }),
  'lab:referees': z.strictObject({ id }),
  'lab:replay': z.strictObject({ id, step: z.number().int().min(1), job }),
  'lab:cancel': z.strictObject({ job }),
};

type Handlers = { [K in keyof LabCalls]: (args: LabCalls[K]['args']) => Promise<LabCalls[K]['result']> | LabCalls[K]['result'] };

export function createLabHandlers(s: Services): Handlers {
  const { store } = s;
  const jobs = new LabJobs(s.spawn);
  const run = (runId: number) => {
    const r = store.getRun(runId);
    if (!r) throw new ApiError('no-such-run', `run ${runId} does not exist`);
    return r;
  };
  const snapshot = (runId: number, at: number | null): Checkpoint => {
    const c = at === null ? store.latestCheckpoint(runId) : store.checkpointAt(runId, at);
    if (c === null) throw new ApiError('no-snapshot', `run ${runId} has no snapshot${at === null ? '' : ` at or before step ${at}`}`);
    return c;
  };
  const guard = (...args: Parameters<typeof labLimitMessage>): void => {
    const tooLarge = labLimitMessage(...args);
    if (tooLarge !== null) throw new ApiError('too-large', tooLarge);
  };
  return {
    'lab:inspect': async (a) => {
      const { config } = run(a.id);
      guard(config, { kind: 'inspect' });
      return jobs.run(a.job, { kind: 'inspect', config, checkpoint: snapshot(a.id, a.step) });
    },
    'lab:referee': async (a) => {
      const { config } = run(a.id);
      guard(config, { kind: 'referee' });
      const report = await jobs.run(a.job, { kind: 'referee', config, checkpoint: snapshot(a.id, a.step) });
      return store.referees.save(run(a.id).id, report);
    },
    'lab:referees': ({ id: runId }) => store.referees.list(run(runId).id),
    'lab:replay': async (a) => {
      const r = run(a.id);
      const [stored] = store.readSteps(r.id, a.step, a.step);
      if (stored === undefined)
        throw new ApiError('no-step', `run ${r.id} has no stored step ${a.step} (its last step is ${r.lastStep ?? 0})`);
      const checkpoint = store.checkpointAt(r.id, a.step - 1);
      guard(r.config, { kind: 'replay', steps: a.step - 1 - (checkpoint?.step ?? 0) });
      return jobs.run(a.job, { kind: 'replay', config: r.config, checkpoint, step: a.step, stored });
    },
    'lab:cancel': ({ job: name }) => jobs.cancel(name),
  };
}
