import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, EvalMetrics, RunSummary, StepMetrics } from '../../../common/contract';
import { forwardEvents, PROGRESS_BYTES_PER_SECOND, type EventSource } from '../../../main/api/event-forwarder';
import { WHOLE_STEPS } from '../../../main/api/live-thinning';
import type { ManagerEvents } from '../../../main/runs/manager';

function fakeManager() {
  const listeners: { [K in keyof ManagerEvents]?: ((e: ManagerEvents[K]) => void)[] } = {};
  const source: EventSource = {
    on(event, l) {
      (listeners[event] ??= []).push(l as never);
      return () => {
        listeners[event] = (listeners[event] as unknown[]).filter((x) => x !== l) as never;
      };
    },
  };
  const emit = <K extends keyof ManagerEvents>(event: K, e: ManagerEvents[K]) =>
    (listeners[event] ?? []).forEach((l) => (l as (e: ManagerEvents[K]) => void)(e));
  return { source, emit, count: () => Object.values(listeners).reduce((n, l) => n + l.length, 0) };
}

const step = (n: number) => ({ step: n, loss: 1 / n }) as unknown as StepMetrics;
const summary = (id: number, status: RunSummary['status']) => ({ id, status }) as RunSummary;

describe('forwarding run events to the window', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('merges progress per run and sends it once per interval, losing nothing', () => {
    const m = fakeManager();
    const sent: [ApiEvent, unknown][] = [];
    forwardEvents(m.source, (e, p) => sent.push([e, p]), 200);
    m.emit('progress', { id: 1, steps: [step(1), step(2)], evals: [] });
    m.emit('progress', { id: 2, steps: [step(1)], evals: [] });
    m.emit('progress', { id: 1, steps: [step(3)], evals: [] });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(sent).toEqual([
      ['runs:progress', { id: 1, steps: [step(1), step(2), step(3)], evals: [] }],
      ['runs:progress', { id: 2, steps: [step(1)], evals: [] }],
    ]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
  });

  it("sends a run's pending progress before its status change, and drops it when the run is deleted", () => {
    const m = fakeManager();
    const sent: [ApiEvent, unknown][] = [];
    forwardEvents(m.source, (e, p) => sent.push([e, p]), 200);
    m.emit('progress', { id: 1, steps: [step(9)], evals: [] });
    m.emit('progress', { id: 2, steps: [step(4)], evals: [] });
    m.emit('changed', summary(1, 'completed'));
    m.emit('deleted', { id: 2 });
    vi.advanceTimersByTime(200);
    expect(sent.map(([e, p]) => [e, (p as { id: number }).id])).toEqual([
      ['runs:progress', 1],
      ['runs:changed', 1],
      ['runs:deleted', 2],
    ]);
  });

  it('stops listening when disposed, after sending what was pending', () => {
    const m = fakeManager();
    const sent: [ApiEvent, unknown][] = [];
    const stop = forwardEvents(m.source, (e, p) => sent.push([e, p]), 200);
    m.emit('progress', { id: 1, steps: [step(1)], evals: [] });
    stop();
    expect(sent).toHaveLength(1);
    expect(m.count()).toBe(0);
    m.emit('changed', summary(1, 'running'));
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
  });

  for (const [RUNS, BATCH] of [
    [1, 2000],
    [16, 100],
  ]) {
    it(`keeps a page within its byte budget with every series' extremes (M4) and the last step: ${RUNS} run(s) at ${BATCH * 10} steps/s`, () => {
      const m = fakeManager();
      const sent: { id: number; steps: StepMetrics[]; evals: EvalMetrics[] }[] = [];
      let bytes = 0;
      const stop = forwardEvents(
        m.source,
        (e, p) => {
          if (e !== 'runs:progress') return;
          bytes += Buffer.byteLength(JSON.stringify(p));
          sent.push(p as never);
        },
        100,
      );
      // 5 s of batches every 100 ms, one evaluation per 50 steps
      const SECONDS = 5;
      let seed = 1;
      const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
      const made = new Map<number, StepMetrics[]>();
      let next = 1;
      for (let tick = 0; tick < SECONDS * 10; tick++) {
        for (let id = 1; id <= RUNS; id++) {
          const steps: StepMetrics[] = [];
          for (let k = 0; k < BATCH; k++) steps.push(fullStep(next + k, random));
          const evals = steps.filter((s) => s.step % 50 === 0).map((s) => evalOf(s.step, random()));
          (made.get(id) ?? made.set(id, []).get(id)!).push(...steps);
          m.emit('progress', { id, steps, evals });
        }
        next += BATCH;
        vi.advanceTimersByTime(100);
      }
      const duringRun = bytes;
      stop();
      // the budget, with at most one send's burst above it
      expect(duringRun).toBeLessThanOrEqual(PROGRESS_BYTES_PER_SECOND * SECONDS + 60_000);
      for (let id = 1; id <= RUNS; id++) {
        const all = made.get(id)!;
        const got = new Map(sent.filter((p) => p.id === id).flatMap((p) => p.steps.map((s) => [s.step, s] as const)));
        expect(got.get(all[all.length - 1].step)).toEqual(all[all.length - 1]);
        for (const value of [(s: StepMetrics) => s.loss, (s: StepMetrics) => s.gradNorm.W!, (s: StepMetrics) => s.updateRatio.V!]) {
          const hi = all.reduce((a, b) => (value(b) > value(a) ? b : a));
          const lo = all.reduce((a, b) => (value(b) < value(a) ? b : a));
          expect(got.get(hi.step)).toEqual(hi);
          expect(got.get(lo.step)).toEqual(lo);
        }
        const spike = all.find((s) => s.loss === 1e6);
        expect(got.has(spike!.step)).toBe(true);
        // the newest evaluation always reaches the page
        const lastEval = sent
          .filter((p) => p.id === id && p.evals.length)
          .at(-1)!
          .evals.at(-1)!;
        expect(lastEval.step).toBe(Math.floor(all[all.length - 1].step / 50) * 50);
      }
    });
  }
  it(`sends a slow run's steps whole (up to ${WHOLE_STEPS} per send)`, () => {
    const m = fakeManager();
    const sent: StepMetrics[][] = [];
    forwardEvents(m.source, (_e, p) => sent.push((p as { steps: StepMetrics[] }).steps), 100);
    let seed = 3;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const steps = Array.from({ length: WHOLE_STEPS }, (_, k) => fullStep(k + 1, random));
    m.emit('progress', { id: 1, steps, evals: [] });
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([steps]);
  });
});

function fullStep(step: number, random: () => number): StepMetrics {
  const per = () => ({ U: random(), W: random(), V: random() });
  return {
    step,
    // one spike per run, as a blow-up between two sends would be
    loss: step === 777 ? 1e6 : random(),
    lr: 0.001,
    gradNorm: per(),
    weightNorm: per(),
    updateRatio: per(),
    spectralRadius: step % 20 === 1 ? random() : Number.NaN,
    saturation: random(),
    timestepsPerSec: 1e5 * random(),
    wallMs: step / 7,
  };
}

function evalOf(step: number, validationLoss: number): EvalMetrics {
  const hist = { lo: 0, hi: 1, counts: Array.from({ length: 30 }, (_, i) => i), under: 0, over: 0 };
  return {
    step,
    validationLoss,
    histograms: { weights: { U: hist, W: hist, V: hist }, grads: { U: hist, W: hist, V: hist } },
    probe: { T: 50, d: 16, n: 1, hidden: Array.from({ length: 800 }, (_, i) => Math.sin(i)), outputs: [], targets: [] },
    eigenvalues: Array.from({ length: 32 }, (_, i) => Math.cos(i)),
  } as EvalMetrics;
}
