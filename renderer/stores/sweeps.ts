// The sweeps: the list, the sweep on screen (reloaded a moment after any of
// its runs changes, so outcomes and progress follow a running sweep live),
// its best runs' loss curves, and every action on a sweep.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SeriesPoints } from '../../common/contract';
import type { SweepDetail, SweepSpecIssue, SweepSummary } from '../../common/sweep-contract';
import { call, on, onReconnect } from '../api';
import { useNoticesStore } from './notices';

/** How long after a run change the sweep on screen is reloaded (changes in between are merged). */
export const RELOAD_MS = 500;
/** How many of the best runs' loss curves are overlaid. */
export const BEST_K = 5;
const CURVE_POINTS = 400;

export interface Curve {
  runId: number;
  trial: number;
  points: SeriesPoints;
}

export const useSweepsStore = defineStore('sweeps', () => {
  const notices = useNoticesStore();
  const list = ref<SweepSummary[]>([]);
  const current = shallowRef<SweepDetail | null>(null);
  const curves = shallowRef<Curve[]>([]);
  const loadError = ref<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;

  const runIds = computed(() => new Set(current.value?.trialList.flatMap((t) => (t.run ? [t.run.id] : [])) ?? []));
  /** The trials with a best validation loss, best first. */
  const ranked = computed(() =>
    (current.value?.trialList ?? [])
      .filter((t) => t.run?.bestValidationLoss !== null && t.run?.bestValidationLoss !== undefined)
      .sort((a, b) => a.run!.bestValidationLoss! - b.run!.bestValidationLoss!),
  );

  function schedule(): void {
    timer ??= setTimeout(() => {
      timer = null;
      if (current.value) void load(current.value.id);
    }, RELOAD_MS);
  }

  const mine = (id: number, tags: readonly string[]) =>
    runIds.value.has(id) || (current.value && tags.includes(`sweep ${current.value.id}`));
  on('runs:changed', (r) => {
    if (mine(r.id, r.tags)) schedule();
  });
  on('runs:deleted', ({ id }) => {
    if (runIds.value.has(id)) schedule();
  });
  onReconnect(() => {
    void refreshList();
    schedule();
  });

  async function refreshList(): Promise<void> {
    const l = await notices.attempt(() => call('sweeps:list', null));
    if (l) list.value = l;
  }

  async function load(id: number): Promise<void> {
    try {
      const d = await call('sweeps:get', { id });
      if (current.value !== null && current.value.id !== id && d.id !== id) return;
      current.value = d;
      loadError.value = null;
      await loadCurves();
    } catch (e) {
      loadError.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** The best BEST_K runs' validation loss (their training loss until they have one). */
  async function loadCurves(): Promise<void> {
    const best = ranked.value.slice(0, BEST_K);
    const out: Curve[] = [];
    for (const t of best) {
      const points = await notices.attempt(() =>
        call('metrics:series', { id: t.run!.id, series: 'validationLoss', from: null, to: null, maxPoints: CURVE_POINTS }),
      );
      if (points) out.push({ runId: t.run!.id, trial: t.trial, points });
    }
    curves.value = out;
  }

  function close(): void {
    current.value = null;
    curves.value = [];
    if (timer) clearTimeout(timer);
    timer = null;
  }

  async function act(f: () => Promise<SweepDetail>): Promise<SweepDetail | undefined> {
    const d = await notices.attempt(f);
    if (d) {
      current.value = d;
      void refreshList();
    }
    return d;
  }

  const start = (id: number) => act(() => call('sweeps:start', { id }));
  const stop = (id: number) => act(() => call('sweeps:stop', { id }));
  const create = (spec: unknown, start: boolean) => act(() => call('sweeps:create', { spec, start }));

  async function check(spec: unknown): Promise<{ issues: SweepSpecIssue[]; trials: number } | undefined> {
    return notices.attempt(() => call('sweeps:check', { spec }));
  }

  async function remove(id: number, deleteRuns: boolean): Promise<boolean> {
    const done = await notices.attempt(() => call('sweeps:delete', { id, deleteRuns }));
    if (done === undefined) return false;
    if (current.value?.id === id) close();
    list.value = list.value.filter((s) => s.id !== id);
    return true;
  }

  return { list, current, curves, ranked, loadError, refreshList, load, close, start, stop, create, check, remove };
});
