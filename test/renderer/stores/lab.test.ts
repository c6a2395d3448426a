// @vitest-environment happy-dom
// The lab store: the latest snapshot's report on open, a scrub that
// cancels the job it replaces (its late answer never shows), reports kept
// so scrubbing back asks nothing, errors kept beside the part that asked
// (a cancelled job is not an error), referee tables appended, and every
// running job cancelled when the view closes.

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LabInspect, StoredReferee } from '../../../common/contract';
import { useLabStore } from '../../../renderer/stores/lab';
import { installFakeApi, Refused, type FakeApi } from '../support/fake-api';

let api: FakeApi;
/** Answers of lab:inspect wait here until the test releases them. */
let held: Map<string, () => void>;
const cancelledJobs: string[] = [];

const report = (step: number) => ({ step, spectralRadius: step / 100 }) as LabInspect;
const referee = (id: number, step: number) =>
  ({ id, runId: 1, step, createdAt: 0, T: 4, B: 1, checked: {}, methods: [], pairs: [] }) as StoredReferee;

beforeEach(() => {
  setActivePinia(createPinia());
  held = new Map();
  cancelledJobs.length = 0;
  api = installFakeApi({
    'snapshots:list': () => [0, 20, 40].map((step) => ({ step, createdAt: 0, bytes: 1, baseLr: 0.003 })),
    'lab:referees': () => [referee(1, 0)],
    'lab:inspect': ({ step, job }) =>
      new Promise<LabInspect>((resolve, reject) =>
        held.set(job, () =>
          cancelledJobs.includes(job) ? reject(new Refused('cancelled', `lab job "${job}" was cancelled`)) : resolve(report(step!)),
        ),
      ),
    'lab:cancel': ({ job }) => {
      cancelledJobs.push(job);
      held.get(job)?.();
      return true;
    },
    'lab:referee': ({ step }) => {
      if (step === 0) throw new Refused('too-large', 'the referee would take about 9 G multiply-adds here');
      return referee(2, step!);
    },
  });
});

const release = async () => {
  for (const [job, go] of [...held]) {
    held.delete(job);
    go();
  }
  await new Promise((r) => setTimeout(r, 0));
};
const jobOf = (i: number) => (api.callsTo('lab:inspect')[i] as { job: string }).job;

describe('the lab store', () => {
  it('computes the latest snapshot on open; a scrub cancels the job it replaces, whose late answer never shows', async () => {
    const lab = useLabStore();
    const opened = lab.open(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(lab.snapshots.map((s) => s.step)).toEqual([0, 20, 40]);
    expect(lab.referees.map((r) => r.id)).toEqual([1]);
    expect(lab.busy.inspect).toBe(true);
    const second = lab.select(1);
    expect(api.callsTo('lab:cancel')).toEqual([{ job: jobOf(0) }]);
    await release();
    await Promise.all([opened, second]);
    expect(lab.inspect?.step).toBe(20);
    expect(lab.errors.inspect).toBeNull(); // the cancelled job is not an error
    expect(lab.busy.inspect).toBe(false);
  });

  it('keeps reports, so scrubbing back asks nothing', async () => {
    const lab = useLabStore();
    const opened = lab.open(1);
    await new Promise((r) => setTimeout(r, 0));
    await release();
    await opened;
    const s = lab.select(0);
    await release();
    await s;
    const asked = api.callsTo('lab:inspect').length;
    await lab.select(2);
    expect(api.callsTo('lab:inspect').length).toBe(asked);
    expect(lab.inspect?.step).toBe(40);
  });

  it('keeps a refused referee’s message beside the referee, and appends a stored table', async () => {
    const lab = useLabStore();
    const opened = lab.open(1);
    await new Promise((r) => setTimeout(r, 0));
    await release();
    await opened;
    const s = lab.select(0);
    await release();
    await s;
    await lab.runReferee();
    expect(lab.errors.referee).toBe('the referee would take about 9 G multiply-adds here');
    expect(lab.errors.inspect).toBeNull();
    const s2 = lab.select(1);
    await release();
    await s2;
    await lab.runReferee();
    expect(lab.errors.referee).toBeNull();
    expect(lab.referees.map((r) => [r.id, r.step])).toEqual([
      [1, 0],
      [2, 20],
    ]);
  });

  it('cancels every running job when the view closes', async () => {
    const lab = useLabStore();
    void lab.open(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(lab.busy.inspect).toBe(true);
    lab.close();
    expect(api.callsTo('lab:cancel')).toEqual([{ job: jobOf(0) }]);
    expect(lab.busy.inspect).toBe(false);
  });
});
