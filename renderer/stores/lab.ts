// The gradient lab on one run: its snapshots and the chosen one, the
// spectrum / flow / hidden-state report there (computed in a worker by
// main, a few kept so scrubbing back is instant), the stored referee
// tables, and a replayed step. Each computation is a named job: a new
// choice cancels the job it replaces, and closing the view cancels all.
// Errors stay beside the view that asked (a too-large model says so there).

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { LabInspect, LabReplay, SnapshotInfo, StoredReferee } from '../../common/contract';
import { ApiCallError, call } from '../api';

const CACHE = 8;

export type LabPart = 'inspect' | 'referee' | 'replay';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const cancelled = (e: unknown): boolean => e instanceof ApiCallError && e.code === 'cancelled';

export const useLabStore = defineStore('lab', () => {
  const runId = ref<number | null>(null);
  const snapshots = ref<SnapshotInfo[]>([]);
  const index = ref(0);
  const listing = ref(false);
  const inspect = shallowRef<LabInspect | null>(null);
  const referees = ref<StoredReferee[]>([]);
  const replay = shallowRef<LabReplay | null>(null);
  /** The part whose job is running now. */
  const busy = ref<Record<LabPart, boolean>>({ inspect: false, referee: false, replay: false });
  const errors = ref<Record<LabPart | 'list', string | null>>({ list: null, inspect: null, referee: null, replay: null });
  const cache = new Map<string, LabInspect>();
  /** The running job of each part, by name. */
  const jobs = new Map<LabPart, string>();
  let counter = 0;

  const snapshot = computed(() => snapshots.value[index.value] ?? null);

  function cancel(part: LabPart): void {
    const name = jobs.get(part);
    if (name === undefined) return;
    jobs.delete(part);
    busy.value[part] = false;
    void call('lab:cancel', { job: name }).catch(() => undefined);
  }

  /** Runs f as the part's job, replacing (cancelling) the one before; resolves to undefined when it failed or was replaced. */
  async function job<T>(part: LabPart, f: (name: string) => Promise<T>): Promise<T | undefined> {
    cancel(part);
    const name = `${part}-${runId.value}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
    jobs.set(part, name);
    busy.value[part] = true;
    errors.value[part] = null;
    try {
      return await f(name);
    } catch (e) {
      if (jobs.get(part) === name && !cancelled(e)) errors.value[part] = message(e);
      return undefined;
    } finally {
      if (jobs.get(part) === name) {
        jobs.delete(part);
        busy.value[part] = false;
      }
    }
  }

  async function open(id: number): Promise<void> {
    close();
    runId.value = id;
    snapshots.value = [];
    referees.value = [];
    inspect.value = null;
    replay.value = null;
    errors.value = { list: null, inspect: null, referee: null, replay: null };
    cache.clear();
    listing.value = true;
    try {
      const [list, stored] = await Promise.all([call('snapshots:list', { id }), call('lab:referees', { id })]);
      if (runId.value !== id) return;
      snapshots.value = list;
      referees.value = stored;
    } catch (e) {
      if (runId.value === id) errors.value.list = message(e);
      return;
    } finally {
      if (runId.value === id) listing.value = false;
    }
    if (snapshots.value.length) await select(snapshots.value.length - 1);
  }

  /** Chooses a snapshot and computes its report (from the cache when it was computed lately). */
  async function select(i: number): Promise<void> {
    const id = runId.value;
    if (id === null || !snapshots.value.length) return;
    index.value = Math.max(0, Math.min(snapshots.value.length - 1, i));
    const step = snapshots.value[index.value].step;
    const key = `${id}:${step}`;
    const hit = cache.get(key);
    if (hit) {
      cancel('inspect');
      errors.value.inspect = null;
      inspect.value = hit;
      return;
    }
    const report = await job('inspect', (name) => call('lab:inspect', { id, step, job: name }));
    if (!report || runId.value !== id || snapshot.value?.step !== step) return;
    cache.set(key, report);
    if (cache.size > CACHE) cache.delete(cache.keys().next().value!);
    inspect.value = report;
  }

  /** The referee on the chosen snapshot; its table is stored with the run and listed last. */
  async function runReferee(): Promise<void> {
    const id = runId.value,
      step = snapshot.value?.step;
    if (id === null || step === undefined) return;
    const stored = await job('referee', (name) => call('lab:referee', { id, step, job: name }));
    if (stored && runId.value === id) referees.value = [...referees.value, stored];
  }

  async function runReplay(step: number): Promise<void> {
    const id = runId.value;
    if (id === null) return;
    replay.value = null;
    const r = await job('replay', (name) => call('lab:replay', { id, step, job: name }));
    if (r && runId.value === id) replay.value = r;
  }

  /** Cancels every running job (the view is closing). */
  function close(): void {
    for (const part of [...jobs.keys()]) cancel(part);
  }

  return {
    runId,
    snapshots,
    index,
    snapshot,
    listing,
    inspect,
    referees,
    replay,
    busy,
    errors,
    open,
    select,
    runReferee,
    runReplay,
    close,
  };
});
