// Runs side by side: one metric of each (by step or by training time, with
// the shared smoothing), their configs with the fields that differ, and a
// summary. Series are plain data outside reactivity; `tick` says when they
// changed. Loading is bounded (a few calls in flight), so twenty runs of a
// database of hundreds stay responsive.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RunRecord } from '../../common/contract';
import { call } from '../api';
import type { Point } from '../../common/m4';
import { wallClock } from '../charts/wall-time';
import { diffConfigs } from '../../common/config-leaves';
import { useNoticesStore } from './notices';
import { useRunsStore } from './runs';
import { mapLimit } from './sampling';

export const COMPARE_POINTS = 1600;

export interface Compared {
  id: number;
  /** The metric by step. */
  points: Point[];
  /** Cumulative training time (ms) at a step. */
  wallAt: (step: number) => number;
  totalWallMs: number;
}

export const useCompareStore = defineStore('compare', () => {
  const notices = useNoticesStore();
  const runs = useRunsStore();
  const ids = ref<number[]>([]);
  const metric = ref('loss');
  const xAxis = ref<'step' | 'wall'>('step');
  const onlyDifferences = ref(true);
  const records = shallowRef(new Map<number, RunRecord>());
  const loading = ref(false);
  const tick = ref(0);
  const data = new Map<number, Compared>();
  let generation = 0;

  /** The configs side by side, led by the engine that trained each run (its kernels decide speed and last bits). */
  const configRows = computed(() => {
    const recs = ids.value.map((id) => records.value.get(id));
    if (recs.some((r) => r === undefined)) return [];
    const rows = diffConfigs(recs.map((r) => ({ engine: r!.engineVersion, ...r!.config })));
    return onlyDifferences.value ? rows.filter((r) => r.differs) : rows;
  });

  async function setRuns(next: number[]): Promise<void> {
    ids.value = [...new Set(next)];
    await load();
  }

  async function setMetric(name: string): Promise<void> {
    metric.value = name;
    data.clear();
    await load();
  }

  /** Load what is missing for the current runs and metric. */
  async function load(): Promise<void> {
    const gen = ++generation;
    const want = ids.value.slice();
    const name = metric.value;
    loading.value = true;
    try {
      const missing = want.filter((id) => !records.value.has(id));
      const recs = await mapLimit(missing, 6, (id) => runs.record(id));
      if (gen !== generation) return;
      const next = new Map(records.value);
      for (const r of recs) if (r) next.set(r.id, r);
      records.value = next;
      const todo = want.filter((id) => next.has(id) && !data.has(id));
      const loaded = await mapLimit(todo, 6, async (id) => {
        const [s, w] = await Promise.all([
          call('metrics:series', { id, series: name, from: null, to: null, maxPoints: COMPARE_POINTS }),
          call('metrics:series', { id, series: 'wallMs', from: null, to: null, maxPoints: COMPARE_POINTS }),
        ]);
        const wallAt = wallClock(w.steps, w.values);
        const points = s.steps.map((x, i) => ({ x, y: s.values[i] }));
        return { id, points, wallAt, totalWallMs: w.steps.length ? wallAt(w.steps[w.steps.length - 1]) : 0 } satisfies Compared;
      });
      if (gen !== generation) return;
      for (const c of loaded) data.set(c.id, c);
      tick.value++;
    } catch (e) {
      if (gen === generation) notices.error(e);
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  const series = (id: number): Compared | null => data.get(id) ?? null;

  return { ids, metric, xAxis, onlyDifferences, records, loading, tick, configRows, setRuns, setMetric, load, series };
});
