// Runs side by side: several metrics of each (by step or by training time,
// with the shared smoothing, optionally as groups by a config field), their
// configs with the fields that differ (a learning rate changed live shown
// with its changes), and a summary. Series are plain data outside
// reactivity; `tick` says when they changed. Loading is bounded (a few
// calls in flight), so twenty runs of a database of hundreds stay responsive.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RunRecord } from '../../common/contract';
import { call } from '../api';
import type { Point } from '../../common/m4';
import { colorAt } from '../charts/theme';
import { wallClock } from '../charts/wall-time';
import { groupRuns, type RunGroup } from '../compare/groups';
import { diffConfigs, flatten, type Leaf } from '../../common/config-leaves';
import { lrChanges, type LrChange } from '../../common/lr-changes';
import { useNoticesStore } from './notices';
import { useRunsStore } from './runs';
import { measuredPoints } from './live-series';
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

interface Wall {
  wallAt: (step: number) => number;
  totalWallMs: number;
}

/** A learning rate with its live changes, as the config table shows it: "0.01 → 0.003 @120". */
export function showLr(configLr: number, changes: readonly LrChange[]): string | number {
  return changes.length ? [String(configLr), ...changes.map((c) => `${c.lr} @${c.step}`)].join(' → ') : configLr;
}

export const useCompareStore = defineStore('compare', () => {
  const notices = useNoticesStore();
  const runs = useRunsStore();
  const ids = ref<number[]>([]);
  /** The metrics shown, one chart each; the first is the main one. */
  const metrics = ref<string[]>(['loss']);
  const metric = computed(() => metrics.value[0]);
  const xAxis = ref<'step' | 'wall'>('step');
  /** A config path to group the runs by ('' for none). */
  const groupBy = ref('');
  const onlyDifferences = ref(true);
  const records = shallowRef(new Map<number, RunRecord>());
  const lr = shallowRef(new Map<number, LrChange[]>());
  const loading = ref(false);
  const tick = ref(0);
  const data = new Map<string, Point[]>();
  const walls = new Map<number, Wall>();
  let generation = 0;
  const key = (id: number, m: string) => `${id}\u0000${m}`;

  /** Each run's config with its live learning-rate changes folded into training.lr. */
  function shownConfig(r: RunRecord): Record<string, unknown> {
    const changes = lr.value.get(r.id) ?? [];
    return { engine: r.engineVersion, ...r.config, training: { ...r.config.training, lr: showLr(r.config.training.lr, changes) } };
  }

  /** The configs side by side, led by the engine that trained each run (its kernels decide speed and last bits). */
  const configRows = computed(() => {
    const recs = ids.value.map((id) => records.value.get(id));
    if (recs.some((r) => r === undefined)) return [];
    const rows = diffConfigs(recs.map((r) => shownConfig(r!)));
    return onlyDifferences.value ? rows.filter((r) => r.differs) : rows;
  });

  /** The fields the runs can be grouped by: those that differ between them (the engine aside). */
  const groupFields = computed(() => {
    const recs = ids.value.flatMap((id) => records.value.get(id) ?? []);
    return diffConfigs(recs.map((r) => r.config))
      .filter((r) => r.differs)
      .map((r) => r.path);
  });

  /** A run's value of a config field. */
  function fieldOf(id: number, path: string): Leaf | undefined {
    const r = records.value.get(id);
    return r ? flatten(r.config)[path] : undefined;
  }

  /** The runs grouped by `groupBy`, or null when they are not grouped. */
  const groups = computed<RunGroup[] | null>(() => (groupBy.value ? groupRuns(ids.value, (id) => fieldOf(id, groupBy.value)) : null));

  /** A run's colour: its group's when grouped, else its own. */
  function colorOf(id: number): string {
    const g = groups.value;
    return colorAt(g ? g.findIndex((x) => x.ids.includes(id)) : ids.value.indexOf(id));
  }

  async function setRuns(next: number[]): Promise<void> {
    ids.value = [...new Set(next)];
    await load();
  }

  async function setMetrics(next: string[]): Promise<void> {
    metrics.value = next.length ? [...new Set(next)] : ['loss'];
    await load();
  }

  /** Replace the main (first) metric. */
  async function setMetric(name: string): Promise<void> {
    await setMetrics([name, ...metrics.value.slice(1).filter((m) => m !== name)]);
  }

  /** Load what is missing for the current runs and metrics. */
  async function load(): Promise<void> {
    const gen = ++generation;
    const want = ids.value.slice();
    const names = metrics.value.slice();
    loading.value = true;
    try {
      const missing = want.filter((id) => !records.value.has(id));
      const recs = await mapLimit(missing, 6, async (id) => {
        const r = await runs.record(id);
        const snaps = r ? await call('snapshots:list', { id }) : [];
        return r ? { r, changes: lrChanges(r.config.training.lr, snaps) } : undefined;
      });
      if (gen !== generation) return;
      const next = new Map(records.value);
      const nextLr = new Map(lr.value);
      for (const x of recs) {
        if (!x) continue;
        next.set(x.r.id, x.r);
        nextLr.set(x.r.id, x.changes);
      }
      records.value = next;
      lr.value = nextLr;
      const have = want.filter((id) => next.has(id));
      const todo = [
        ...have.filter((id) => !walls.has(id)).map((id) => ({ id, series: 'wallMs' })),
        ...have.flatMap((id) => names.filter((m) => !data.has(key(id, m))).map((m) => ({ id, series: m }))),
      ];
      const loaded = await mapLimit(todo, 6, async (t) => ({
        ...t,
        s: await call('metrics:series', { id: t.id, series: t.series, from: null, to: null, maxPoints: COMPARE_POINTS }),
      }));
      if (gen !== generation) return;
      for (const { id, series, s } of loaded) {
        if (series === 'wallMs') {
          const wallAt = wallClock(s.steps, s.values);
          walls.set(id, { wallAt, totalWallMs: s.steps.length ? wallAt(s.steps[s.steps.length - 1]) : 0 });
        } else
          // a cadenced series (ρ(W) every K steps) only at the steps it was measured
          data.set(key(id, series), measuredPoints(series, s.steps, s.values));
      }
      tick.value++;
    } catch (e) {
      if (gen === generation) notices.error(e);
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  /** A run's metric (the main one by default) with its wall clock, once loaded. */
  function series(id: number, m: string = metric.value): Compared | null {
    const points = data.get(key(id, m));
    const wall = walls.get(id);
    return points && wall ? { id, points, ...wall } : null;
  }

  return {
    ids,
    metrics,
    metric,
    xAxis,
    groupBy,
    onlyDifferences,
    records,
    lr,
    loading,
    tick,
    configRows,
    groupFields,
    groups,
    colorOf,
    fieldOf,
    setRuns,
    setMetrics,
    setMetric,
    load,
    series,
  };
});
