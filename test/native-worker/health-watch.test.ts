// The health monitor where runs meet it, the worker's message loop (in this
// process, over an in-memory port): every evaluation carries the health and
// the task's baselines, a step-0 evaluation shows the initial W, a change of
// state is evaluated at once, and a loss grown past training.divergenceFactor
// ends the run 'diverged' before any number overflows. Then the promise of
// the early warning, on seeded exploding runs (it must come before the first
// non-finite value; the lead times are printed), and its silence on the
// form's presets (small sizes, a few hundred steps).

import { describe, expect, it } from 'vitest';
import type { EvalMetrics, StepMetrics, WorkerToHost } from '../../common/contract';
import { ConfigError, parseConfig } from '../../native-worker/config';
import { HealthWatch } from '../../native-worker/health-watch';
import { WorkerLoop } from '../../native-worker/process/loop';
import { DivergedError, Trainer } from '../../native-worker/trainer';
import { PRESETS } from '../../renderer/config/presets';

type Ended = Extract<WorkerToHost, { type: 'ended' }>;

/** Trains a config to its end in this process; everything the loop sent. */
function train(raw: unknown): Promise<{ steps: StepMetrics[]; evals: EvalMetrics[]; ended: Ended }> {
  const steps: StepMetrics[] = [];
  const evals: EvalMetrics[] = [];
  return new Promise((resolve) => {
    let handler: (m: unknown) => void = () => undefined;
    new WorkerLoop({
      post: (m) => {
        if (m.type === 'progress') {
          steps.push(...m.steps);
          evals.push(...m.evals);
        }
        if (m.type === 'ended') resolve({ steps, evals, ended: m });
      },
      onMessage: (h) => (handler = h),
    });
    handler({ type: 'start', seq: 1, config: parseConfig(raw), checkpoint: null, progressEveryMs: 0 });
  });
}

const small = { task: { kind: 'sine', channels: 2, T: 10, validationSequences: 2 }, model: { hidden: 6 }, method: { kind: 'bptt' } };

describe('the worker loop with the health monitor', () => {
  it('evaluates at step 0 with the initial eigenvalues, and every eval carries the health and the baselines', async () => {
    const { evals, ended } = await train({ ...small, training: { steps: 20, evalEvery: 10 } });
    expect(ended.reason).toBe('completed');
    expect(evals.map((e) => e.step)).toEqual([0, 10, 20]);
    const init = new Trainer(parseConfig({ ...small, training: { steps: 20, evalEvery: 10 } })).evaluate();
    expect(evals[0].eigenvalues).toEqual(init.eigenvalues);
    expect(evals[0].eigenvalues).toHaveLength(12);
    for (const e of evals) {
      expect(e.health).toMatchObject({ state: 'healthy', step: e.step, reasons: [], remedy: null });
      expect(e.baselines!.map((b) => b.kind)).toEqual(['mean', 'last']);
    }
  });

  it('records a change of health as an evaluation of its own, between the scheduled ones', async () => {
    const { evals, ended } = await train({
      seed: 1,
      task: { kind: 'sine', channels: 2, T: 20, validationSequences: 2 },
      model: { hidden: 32, init: 'orthogonal', gain: 2 },
      method: { kind: 'bptt' },
      training: { steps: 20, evalEvery: 10, optimizer: { kind: 'sgd' }, lr: 0.02, divergenceFactor: null },
    });
    expect(ended.reason).toBe('completed');
    expect(evals[0].health!.state).toBe('healthy');
    const first = evals.find((e) => e.step > 0 && e.step % 10 !== 0);
    expect(first, 'an evaluation off the schedule').toBeDefined();
    expect(first!.health).toMatchObject({ state: 'exploding', since: first!.step });
  });

  it('ends a run whose loss outgrew its best by divergenceFactor as diverged, before any value is non-finite', async () => {
    const raw = {
      seed: 1,
      task: { kind: 'sine', channels: 2, T: 20, validationSequences: 2 },
      model: { hidden: 32, init: 'orthogonal', gain: 2 },
      method: { kind: 'bptt' },
      training: { steps: 400, lr: 0.02, optimizer: { kind: 'sgd' }, divergenceFactor: 1e3 },
    };
    const { steps, evals, ended } = await train(raw);
    expect(ended.reason).toBe('diverged');
    expect(ended.message).toMatch(
      /the loss grew .*× over its best .*more than training\.divergenceFactor 1000\. Health: exploding since step \d+ \(.+\); remedy: clip gradients/,
    );
    expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    expect(evals.at(-1)!.step).toBe(ended.step);
    expect(evals.at(-1)!.health!.state).toBe('exploding');
    // without the factor the same run goes on until a number overflows
    const plain = await train({ ...raw, training: { ...raw.training, divergenceFactor: null } });
    expect(plain.ended.reason).toBe('diverged');
    expect(plain.ended.message).toMatch(/non-finite|became/);
    expect(plain.ended.step).toBeGreaterThan(ended.step);
  });

  it('refuses a divergenceFactor of 1 or less, naming the field', () => {
    expect(() => parseConfig({ training: { divergenceFactor: 1 } })).toThrow(ConfigError);
    expect(() => parseConfig({ training: { divergenceFactor: 0.5 } })).toThrow(/^training\.divergenceFactor: must be greater than 1/);
    expect(parseConfig({}).training.divergenceFactor).toBe(1e6);
    expect(parseConfig({ training: { divergenceFactor: null } }).training.divergenceFactor).toBeNull();
  });
});

/** Steps a run until it ends; the first step the health was not healthy, and the step that was not finite (null: none). */
function lead(raw: Record<string, unknown>, maxSteps: number): { warned: number | null; diverged: number | null } {
  const t = new Trainer(parseConfig(raw));
  const watch = new HealthWatch(t);
  let warned = watch.evaluate()!.health!.state === 'healthy' ? null : 0;
  for (let k = 0; k < maxSteps; k++) {
    try {
      watch.step(t.runStep());
    } catch (e) {
      if (!(e instanceof DivergedError)) throw e;
      return { warned, diverged: t.step + 1 };
    }
    if (warned === null && watch.health.state !== 'healthy') warned = t.step;
  }
  return { warned, diverged: null };
}

describe('the early warning', () => {
  const sine = { kind: 'sine', channels: 2, T: 20, validationSequences: 2 };
  const exploding: [string, Record<string, unknown>][] = [
    ['orthogonal gain 2, SGD 0.02 (d = 32)', { seed: 1, model: { hidden: 32, init: 'orthogonal', gain: 2 }, training: { lr: 0.02 } }],
    ['orthogonal gain 1.5, SGD 0.05', { seed: 6, model: { hidden: 16, init: 'orthogonal', gain: 1.5 }, training: { lr: 0.05 } }],
    ['Glorot, SGD 0.5', { seed: 3, model: { hidden: 16, init: 'glorot' }, training: { lr: 0.5 } }],
    ['uniform relu, SGD 0.1', { seed: 4, model: { hidden: 16, activation: 'relu' }, training: { lr: 0.1 } }],
    [
      'identity gain 1.2 relu, SGD 0.01',
      { seed: 2, model: { hidden: 16, init: 'identity', gain: 1.2, activation: 'relu' }, training: { lr: 0.01 } },
    ],
  ];
  for (const [name, c] of exploding) {
    it(`fires before the first non-finite value: ${name}`, () => {
      const training = { ...(c.training as object), steps: 1000, optimizer: { kind: 'sgd' }, divergenceFactor: null };
      const { warned, diverged } = lead({ ...c, task: sine, method: { kind: 'bptt' }, training }, 1000);
      expect(diverged, 'the case diverges').not.toBeNull();
      expect(warned).not.toBeNull();
      expect(warned!).toBeLessThan(diverged!);
      console.log(JSON.stringify({ case: name, firstWarning: warned, firstNonFinite: diverged, leadSteps: diverged! - warned! }));
    });
  }

  const csv = 'a,b\n' + Array.from({ length: 300 }, (_, i) => `${Math.sin(i / 7).toFixed(4)},${Math.cos(i / 5).toFixed(4)}`).join('\n');
  for (const p of PRESETS) {
    it(`stays quiet on the preset ${p.id} (small sizes, 300 steps)`, () => {
      const raw = structuredClone(p.config) as {
        task: Record<string, unknown>;
        model: { hidden: number };
        training: { steps: number; batchSize?: number };
      };
      raw.model.hidden = Math.min(raw.model.hidden, 12);
      raw.training.steps = 300;
      raw.training.batchSize = Math.min(raw.training.batchSize ?? 1, 4);
      if (raw.task.kind === 'csv') raw.task.csv = csv;
      if (typeof raw.task.T === 'number') raw.task.T = Math.min(raw.task.T, 30);
      const t = new Trainer(parseConfig(raw));
      const watch = new HealthWatch(t);
      const seen: string[] = [];
      const note = (h: { state: string; step: number; reasons: string[] }) => {
        // not learning is no early warning: a short run may not beat the baseline yet
        if (h.state !== 'healthy' && h.state !== 'not-learning') seen.push(`${h.step} ${h.state}: ${h.reasons.join('; ')}`);
      };
      note(watch.evaluate()!.health!);
      while (!t.done) {
        watch.step(t.runStep());
        note(watch.health);
        if (t.step % t.config.training.evalEvery === 0) note(watch.evaluate()!.health!);
      }
      expect(seen).toEqual([]);
    });
  }
});
