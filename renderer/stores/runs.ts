// Every run in the database, kept current by main's events, and every
// action on a run. Deleting is deferred for a few seconds with an undo
// (nothing is sent to main until the undo window has passed).

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Leaf } from '../../common/config-leaves';
import type { RunConfig, RunRecord, RunSummary } from '../../common/contract';
import { call, on, onReconnect } from '../api';
import { statusReason as reasonOf } from '../status';
import { useNoticesStore } from './notices';

export const UNDO_MS = 6000;

export const useRunsStore = defineStore('runs', () => {
  const notices = useNoticesStore();
  const all = ref<RunSummary[]>([]);
  const loaded = ref(false);
  /** Why the list could not be loaded (no access token, server gone), shown in its place; null once it loads. */
  const loadError = ref<string | null>(null);
  /** Runs the user deleted whose undo window is still open. */
  const pendingDelete = ref(new Set<number>());
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const records = new Map<number, RunRecord>();
  /** Each run's config as parameters (search by config, grouping, the history-wide plots). */
  const params = shallowRef(new Map<number, Readonly<Record<string, Leaf>>>());
  /** How many runs this app trains at once (app:info), null until known. */
  const maxConcurrent = ref<number | null>(null);
  /** Why they could not be loaded (search by config then finds nothing), else null. */
  const paramsError = ref<string | null>(null);

  const runs = computed(() => all.value.filter((r) => !pendingDelete.value.has(r.id)));
  const byId = computed(() => new Map(all.value.map((r) => [r.id, r])));

  function upsert(s: RunSummary): void {
    const i = all.value.findIndex((r) => r.id === s.id);
    if (i >= 0) all.value[i] = s;
    else {
      all.value.unshift(s);
      void loadParams([s.id]);
    }
    const rec = records.get(s.id);
    if (rec) records.set(s.id, { ...rec, ...s });
  }

  function forget(id: number): void {
    all.value = all.value.filter((r) => r.id !== id);
    records.delete(id);
    if (params.value.has(id)) {
      const next = new Map(params.value);
      next.delete(id);
      params.value = next;
    }
  }

  /** Loads the params of these runs (all when null, replacing what was known). */
  async function loadParams(ids: number[] | null): Promise<void> {
    try {
      const got = await call('runs:params', { ids });
      const next = new Map(ids === null ? [] : params.value);
      for (const p of got) next.set(p.id, p.params);
      params.value = next;
      paramsError.value = null;
    } catch (e) {
      paramsError.value = e instanceof Error ? e.message : String(e);
    }
  }

  on('runs:changed', upsert);
  on('runs:deleted', ({ id }) => forget(id));
  on('runs:progress', ({ id, steps, evals }) => {
    const r = all.value.find((x) => x.id === id);
    if (!r) return;
    if (steps.length) r.lastStep = steps[steps.length - 1].step;
    for (const e of evals) {
      if (Number.isFinite(e.validationLoss) && (r.bestValidationLoss === null || e.validationLoss < r.bestValidationLoss))
        r.bestValidationLoss = e.validationLoss;
      if (e.health) r.health = e.health;
    }
  });
  onReconnect(() => void refresh());

  async function refresh(): Promise<void> {
    try {
      all.value = await call('runs:list', null);
      loadError.value = null;
      await loadParams(null);
      // without it a queued run's reason gives the running count alone
      if (maxConcurrent.value === null)
        await call('app:info', null).then(
          (info) => (maxConcurrent.value = info.maxConcurrentRuns),
          () => undefined,
        );
    } catch (e) {
      loadError.value = e instanceof Error ? e.message : String(e);
      notices.error(e);
    }
    loaded.value = true;
  }

  /** The run with its config (cached; the config of a run never changes but by resume with more steps). */
  async function record(id: number, fresh = false): Promise<RunRecord | undefined> {
    const cached = records.get(id);
    if (cached && !fresh) return cached;
    const r = await notices.attempt(() => call('runs:get', { id }));
    if (r) remember(r);
    return r;
  }

  function remember(r: RunRecord): void {
    records.set(r.id, r);
  }

  async function create(
    config: RunConfig,
    o: { name: string | null; tags: string[]; notes: string; start: boolean },
  ): Promise<RunRecord | undefined> {
    const r = await notices.attempt(() => call('runs:create', { config, ...o }));
    if (r) {
      upsert(r);
      remember(r);
    }
    return r;
  }

  const act = async (f: () => Promise<RunSummary>) => {
    const s = await notices.attempt(f);
    if (s) upsert(s);
    return s;
  };
  const start = (id: number) => act(() => call('runs:start', { id }));
  const pause = (id: number) => act(() => call('runs:pause', { id }));
  const resume = (id: number, steps: number | null = null) => act(() => call('runs:resume', { id, steps }));
  const stop = (id: number) => act(() => call('runs:stop', { id }));
  const update = (id: number, patch: { name?: string; tags?: string[]; notes?: string }) =>
    act(() => call('runs:update', { id, ...patch }));

  async function snapshot(id: number): Promise<boolean> {
    const ok = (await notices.attempt(() => call('runs:snapshot', { id }))) === null;
    if (ok) notices.info(`Snapshot of run ${id} requested`);
    return ok;
  }

  async function setLr(id: number, lr: number): Promise<boolean> {
    return (await notices.attempt(() => call('runs:set-lr', { id, lr }))) === null;
  }

  async function fork(
    id: number,
    step: number | null,
    config: RunConfig,
    name: string | null,
    startNow: boolean,
  ): Promise<RunRecord | undefined> {
    const r = await notices.attempt(() => call('runs:fork', { id, step, config, name, start: startNow }));
    if (r) {
      upsert(r);
      remember(r);
    }
    return r;
  }

  /** Hide the run now and delete it once the undo window has passed. */
  function remove(id: number): void {
    const name = byId.value.get(id)?.name ?? `run ${id}`;
    pendingDelete.value = new Set(pendingDelete.value).add(id);
    timers.set(
      id,
      setTimeout(() => void commitDelete(id), UNDO_MS),
    );
    notices.info(`Deleted “${name}”`, { label: 'Undo', run: () => undoDelete(id) }, UNDO_MS);
  }

  function undoDelete(id: number): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    const next = new Set(pendingDelete.value);
    next.delete(id);
    pendingDelete.value = next;
  }

  async function commitDelete(id: number): Promise<void> {
    timers.delete(id);
    const done = await notices.attempt(() => call('runs:delete', { id }));
    const next = new Set(pendingDelete.value);
    next.delete(id);
    pendingDelete.value = next;
    if (done === null) forget(id);
  }

  /** Send every pending deletion now (the page is closing). */
  function flushDeletes(): void {
    for (const id of [...timers.keys()]) {
      clearTimeout(timers.get(id));
      void commitDelete(id);
    }
  }

  /** Why a run is in its status (the badge's tooltip). */
  const statusReason = (r: RunSummary) => reasonOf(r, all.value, maxConcurrent.value);

  return {
    runs,
    statusReason,
    all,
    byId,
    params,
    paramsError,
    loaded,
    loadError,
    pendingDelete,
    refresh,
    record,
    create,
    start,
    pause,
    resume,
    stop,
    update,
    snapshot,
    setLr,
    fork,
    remove,
    undoDelete,
    flushDeletes,
  };
});
