// Migration 004's columns as the store uses them: each eval keeps the run's
// health and the task's baselines (non-finite losses included), a run's
// summary carries its latest eval's health, and a bad report is refused
// with a message naming the field.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvalMetrics } from '../../../common/contract';
import { Store } from '../../../main/store/store';
import { config, makeEval, makeSteps, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
let runId: number;
beforeEach(() => {
  tmp = tempDir();
  store = Store.open(tmp.file('health.db'));
  runId = store.createRun({ name: 'h', config, appVersion: '0.1.0' }).id;
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const bare = (step: number): EvalMetrics => {
  const { health: _h, baselines: _b, ...e } = makeEval(step, 0.5);
  return e;
};

describe('health and baselines in evals', () => {
  it('keep the health report and the baselines, an infinite or NaN loss included', () => {
    const e = makeEval(10, 0.8);
    e.baselines = [
      { kind: 'mean', loss: Number.NaN },
      { kind: 'last', loss: Number.NEGATIVE_INFINITY },
    ];
    store.appendProgress(runId, { steps: makeSteps(1, 10), evals: [makeEval(0, 1), e], checkpoints: [] });
    const back = store.evalAt(runId, 10)!;
    expect(back.health).toEqual(e.health);
    expect(back.baselines![0].loss).toBeNaN();
    expect(back.baselines![1].loss).toBe(Number.NEGATIVE_INFINITY);
  });

  it('give the summary the latest health, skipping evals without one, and lose it with the evals a resume drops', () => {
    expect(store.getSummary(runId)!.health).toBeNull();
    store.appendProgress(runId, { steps: makeSteps(1, 20), evals: [makeEval(0, 1), makeEval(10, 0.8), bare(20)], checkpoints: [] });
    const health = store.getSummary(runId)!.health;
    expect(health).toEqual(makeEval(10, 0.8).health);
    expect(store.listRuns({})[0].health).toEqual(health);
    expect(store.evalAt(runId, 20)).not.toHaveProperty('health');
    store.truncateAfter(runId, 5);
    expect(store.getRun(runId)!.health!.state).toBe('healthy');
  });

  it('refuses a report with an unknown state or a bad baseline kind, naming the field', () => {
    const e = makeEval(3, 0.1);
    const bad = { ...e, health: { ...e.health!, state: 'sick' } } as unknown as EvalMetrics;
    expect(() => store.appendProgress(runId, { steps: [], evals: [bad], checkpoints: [] })).toThrow(/evals\[0\]: health: .*state/s);
    const kind = { ...e, baselines: [{ kind: 'median', loss: 1 }] } as unknown as EvalMetrics;
    expect(() => store.appendProgress(runId, { steps: [], evals: [kind], checkpoints: [] })).toThrow(/evals\[0\]: baselines: .*kind/s);
    expect(store.listEvalSteps(runId)).toEqual([]);
  });
});
