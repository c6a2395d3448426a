// Scrubbing through a run's weight snapshots: the list, the weights at the
// chosen one (a few kept in a small cache so scrubbing back is instant), and
// W's eigenvalues from the evaluation at that step (or the nearest one
// before it, which the view names).

import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { SnapshotInfo, Weights } from '../../common/contract';
import { call } from '../api';
import { useNoticesStore } from './notices';

const CACHE = 12;

export interface Spectrum {
  /** The evaluation the eigenvalues come from. */
  step: number;
  values: number[];
}

export const useSnapshotsStore = defineStore('snapshots', () => {
  const notices = useNoticesStore();
  const runId = ref<number | null>(null);
  const list = ref<SnapshotInfo[]>([]);
  const index = ref(0);
  const weights = shallowRef<Weights | null>(null);
  const spectrum = shallowRef<Spectrum | null>(null);
  const loading = ref(false);
  let evalSteps: number[] = [];
  const cache = new Map<string, { weights: Weights; spectrum: Spectrum | null }>();
  let want = 0;

  async function open(id: number): Promise<void> {
    runId.value = id;
    list.value = [];
    weights.value = null;
    spectrum.value = null;
    cache.clear();
    const r = await notices.attempt(() => Promise.all([call('snapshots:list', { id }), call('metrics:eval-steps', { id })]));
    if (!r || runId.value !== id) return;
    [list.value, evalSteps] = r;
    if (list.value.length) await select(list.value.length - 1);
  }

  async function select(i: number): Promise<void> {
    const id = runId.value;
    if (id === null || !list.value.length) return;
    index.value = Math.max(0, Math.min(list.value.length - 1, i));
    const step = list.value[index.value].step;
    const key = `${id}:${step}`;
    const seq = ++want;
    let hit = cache.get(key);
    if (!hit) {
      loading.value = true;
      const evalStep = nearestAtOrBefore(evalSteps, step);
      const r = await notices.attempt(() =>
        Promise.all([
          call('snapshots:get', { id, step }),
          evalStep === null ? Promise.resolve(null) : call('metrics:eval', { id, step: evalStep }),
        ]),
      );
      if (seq !== want) return;
      loading.value = false;
      if (!r) return;
      hit = { weights: r[0].weights, spectrum: r[1] ? { step: r[1].step, values: r[1].eigenvalues } : null };
      cache.set(key, hit);
      if (cache.size > CACHE) cache.delete(cache.keys().next().value as string);
    }
    weights.value = hit.weights;
    spectrum.value = hit.spectrum;
  }

  return { runId, list, index, weights, spectrum, loading, open, select };
});

export function nearestAtOrBefore(sorted: readonly number[], step: number): number | null {
  let best: number | null = null;
  for (const s of sorted) {
    if (s <= step) best = s;
    else break;
  }
  return best;
}
