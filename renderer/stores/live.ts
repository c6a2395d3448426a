// The run open in the run view: its stored history (downsampled by the
// store) followed by what streams in while it trains. Series live in plain
// buffers, not in reactive state, so a fast run costs no per-point
// reactivity: each progress batch bumps `tick` once and the charts redraw
// on their own throttle.

import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ApiEvents, EvalMetrics, MatrixName, RunRecord, RunStatus } from '../../common/contract';
import { call, on, onReconnect } from '../api';
import { SeriesBuffer } from '../charts/series-buffer';
import { isEnded } from '../status';
import { forEachValue, liveSeriesNames, matricesOf, measuredPoints } from './live-series';
import { useNoticesStore } from './notices';
import { mapLimit, sampleEvenly } from './sampling';

/** Points per series: about twice the width of the widest chart. */
export const SERIES_BUDGET = 2400;
/** Evaluations kept for the histogram timelines. */
export const EVAL_BUDGET = 64;
/** Views of evaluations (histograms, probe) change at most this often: a fast run evaluates hundreds of times a second. */
export const EVAL_REFRESH_MS = 250;

type Progress = ApiEvents['runs:progress'];

export const useLiveStore = defineStore('live', () => {
  const notices = useNoticesStore();
  const runId = ref<number | null>(null);
  const record = shallowRef<RunRecord | null>(null);
  const matrices = shallowRef<MatrixName[]>([]);
  const loading = ref(false);
  /** Bumped after every change to the buffers (the charts redraw on their throttle). */
  const tick = ref(0);
  /** Bumped when evaluations arrive. */
  const evalTick = ref(0);
  const buffers = new Map<string, SeriesBuffer>();
  let evals: EvalMetrics[] = [];
  const latestEval = shallowRef<EvalMetrics | null>(null);
  let pending: Progress[] = [];
  let status: RunStatus | null = null;
  let generation = 0;
  let evalTimer: ReturnType<typeof setTimeout> | null = null;

  function bumpEvals(): void {
    if (evalTimer) return;
    evalTimer = setTimeout(() => {
      evalTimer = null;
      latestEval.value = evals.length ? evals[evals.length - 1] : null;
      evalTick.value++;
    }, EVAL_REFRESH_MS);
  }

  const buffer = (name: string): SeriesBuffer => {
    let b = buffers.get(name);
    if (!b) buffers.set(name, (b = new SeriesBuffer(SERIES_BUDGET)));
    return b;
  };

  on('runs:progress', (p) => {
    if (p.id !== runId.value) return;
    if (loading.value) pending.push(p);
    else ingest(p);
  });
  onReconnect(() => {
    if (runId.value !== null) void open(runId.value);
  });

  // An ended run that is resumed restarts from its latest snapshot and
  // drops the metrics after it: reload when that happens.
  on('runs:changed', (s) => {
    if (s.id !== runId.value) return;
    const was = status;
    status = s.status;
    if (was !== null && isEnded(was) && !isEnded(s.status)) void open(s.id);
  });

  /** Steps at or before a buffer's last point were loaded already (a batch can overlap the load) and are skipped. */
  function ingest(p: Progress): void {
    for (const s of p.steps) forEachValue(s, matrices.value, (name, v) => buffer(name).push(s.step, v));
    for (const e of p.evals) {
      buffer('validationLoss').push(e.step, e.validationLoss);
      addEval(e);
    }
    tick.value++;
  }

  function addEval(e: EvalMetrics): void {
    if (evals.length && evals[evals.length - 1].step >= e.step) return;
    evals.push(e);
    // Thin the history by half when full; the newest evaluation is always kept.
    if (evals.length > 2 * EVAL_BUDGET) evals = evals.filter((_, i) => i % 2 === 1 || i === evals.length - 1);
    bumpEvals();
  }

  /** Load the run: its series first (the charts draw at once), then its evaluations in the background. */
  async function open(id: number): Promise<void> {
    const gen = ++generation;
    runId.value = id;
    loading.value = true;
    pending = [];
    let evalSteps: number[] | null = null;
    try {
      const rec = await call('runs:get', { id });
      if (gen !== generation) return;
      record.value = rec;
      status = rec.status;
      matrices.value = matricesOf(rec.config);
      const names = liveSeriesNames(matrices.value);
      const [series, steps] = await Promise.all([
        Promise.all(names.map((series) => call('metrics:series', { id, series, from: null, to: null, maxPoints: SERIES_BUDGET }))),
        call('metrics:eval-steps', { id }),
      ]);
      if (gen !== generation) return;
      buffers.clear();
      evals = [];
      names.forEach((n, i) => buffer(n).reset(measuredPoints(n, series[i].steps, series[i].values)));
      evalSteps = steps;
    } catch (e) {
      if (gen === generation) notices.error(e);
    } finally {
      if (gen === generation) {
        loading.value = false;
        const queued = pending;
        pending = [];
        for (const p of queued) ingest(p);
        tick.value++;
      }
    }
    if (evalSteps && gen === generation) await loadEvals(id, gen, evalSteps);
  }

  /** The newest evaluation first (the probe), then a sample of the older ones (the histogram timelines). */
  async function loadEvals(id: number, gen: number, steps: number[]): Promise<void> {
    const wanted = sampleEvenly(steps, EVAL_BUDGET);
    const newest = wanted.pop();
    const merge = (older: (EvalMetrics | null)[]) => {
      const firstStreamed = evals.length ? evals[0].step : Infinity;
      evals = [...older.filter((e): e is EvalMetrics => e !== null && e.step < firstStreamed), ...evals];
      latestEval.value = evals.length ? evals[evals.length - 1] : null;
      evalTick.value++;
    };
    try {
      if (newest === undefined) return;
      const last = await call('metrics:eval', { id, step: newest });
      if (gen !== generation) return;
      merge([last]);
      const older = await mapLimit(wanted, 6, (step) => call('metrics:eval', { id, step }));
      if (gen === generation) merge(older);
    } catch (e) {
      if (gen === generation) notices.error(e);
    }
  }

  function close(): void {
    generation++;
    if (evalTimer) clearTimeout(evalTimer);
    evalTimer = null;
    runId.value = null;
    record.value = null;
    status = null;
    buffers.clear();
    evals = [];
    latestEval.value = null;
    pending = [];
  }

  const series = (name: string) => buffers.get(name) ?? null;
  const evalHistory = (): readonly EvalMetrics[] => evals;

  return { runId, record, matrices, loading, tick, evalTick, latestEval, open, close, series, evalHistory };
});
