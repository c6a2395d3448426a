// The new-run form: a draft of the whole engine config, checked by the
// engine itself (config:check) a moment after every edit, so the messages
// beside the inputs and the cost estimate are the ones a run would get.

import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef, watch } from 'vue';
import type {
  ConfigIssue,
  ConfigPath,
  CostEstimate,
  RunConfig,
  RunRecord,
  RunTiming,
  TaskKind,
  WeightsFileInfo,
} from '../../common/contract';
import { lrAt, lrChanges, type LrChange } from '../../common/lr-changes';
import { defaultLossKind } from '../../common/values';
import { ApiCallError, call } from '../api';
import { clone, deepMerge } from '../config/merge';
import type { Preset } from '../config/presets';
import { useNoticesStore } from './notices';
import { useRunsStore } from './runs';

/** The config fields whose kind picks a variant with its own fields. */
export type VariantPath = Extract<ConfigPath, 'method' | 'loss' | 'training.optimizer' | 'training.schedule'>;

export const CHECK_DELAY_MS = 250;

export const useNewRunStore = defineStore('newRun', () => {
  const notices = useNoticesStore();
  const runs = useRunsStore();
  const draft = ref<RunConfig | null>(null);
  const name = ref('');
  const tags = ref<string[]>([]);
  const notes = ref('');
  /** The engine's verdict on the draft: each problem by its field ('config': the config as a whole). */
  const issues = ref<ConfigIssue[]>([]);
  /** Why the check itself failed (no verdict on the config), or null. */
  const failure = ref<string | null>(null);
  /** The message for each field, the first when the engine gives several. */
  const errors = computed(() => {
    const out: Partial<Record<ConfigPath, string>> = {};
    for (const i of issues.value) if (i.path !== 'config') out[i.path] ??= i.message;
    return out;
  });
  /** Messages for the top of the form. */
  const general = computed(() => [
    ...(failure.value === null ? [] : [failure.value]),
    ...issues.value.filter((i) => i.path === 'config').map((i) => i.message),
  ]);
  const estimate = shallowRef<CostEstimate | null>(null);
  /** The estimate is of an earlier, valid version of the draft. */
  const stale = ref(false);
  const checking = ref(false);
  /** The draft's run time, measured in a worker (config:time) after each accepted check; null while it is timed. */
  const timing = shallowRef<RunTiming | null>(null);
  /** Why the draft could not be timed, if it could not. */
  const timingError = ref<string | null>(null);
  /** Where the draft came from (shown above the form). */
  const origin = ref('defaults');
  /** Fork mode: the run and snapshot the new run starts from (the model's shape is then fixed). */
  const fork = ref<{ id: number; steps: number[]; step: number | null; configLr: number; changes: LrChange[] } | null>(null);
  /** Import mode: the weights file the new run starts from (the model's shape is then the file's). */
  const importing = shallowRef<{ fileName: string; data: Uint8Array; info: WeightsFileInfo } | null>(null);
  /** Paths of the fields on screen; an error for any other path is listed at the top of the form. */
  const shownFields = shallowReactive(new Set<ConfigPath>());
  const unplaced = computed(() =>
    issues.value.flatMap((i) => (i.path === 'config' || shownFields.has(i.path) ? [] : [`${i.path}: ${i.message}`])),
  );
  let timer: ReturnType<typeof setTimeout> | null = null;
  let checkSeq = 0;

  watch(draft, () => schedule(), { deep: true });
  // A fork starts with the learning rate in force at its snapshot (a rate changed live included); the user may change it.
  watch(
    () => fork.value?.step,
    (step) => {
      const f = fork.value;
      if (f && draft.value && step != null) draft.value.training.lr = lrAt(f.configLr, f.changes, step);
    },
  );

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), CHECK_DELAY_MS);
  }

  /** Check the draft now; true when the engine accepts it. */
  async function check(): Promise<boolean> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!draft.value) return false;
    const seq = ++checkSeq;
    checking.value = true;
    try {
      const r = await call('config:check', { config: clone(draft.value) });
      if (seq !== checkSeq) return false;
      issues.value = [];
      failure.value = null;
      estimate.value = r.estimate;
      stale.value = false;
      void time(seq, r.config);
      return true;
    } catch (e) {
      if (seq !== checkSeq) return false;
      if (e instanceof ApiCallError && e.issues) {
        issues.value = e.issues;
        failure.value = null;
      } else {
        issues.value = [];
        failure.value = e instanceof Error ? e.message : String(e);
      }
      stale.value = true;
      return false;
    } finally {
      if (seq === checkSeq) checking.value = false;
    }
  }

  /** Time the checked config's first steps; a newer check supersedes it. */
  async function time(seq: number, config: RunConfig): Promise<void> {
    timing.value = null;
    timingError.value = null;
    try {
      const t = await call('config:time', { config });
      if (seq === checkSeq) timing.value = t;
    } catch (e) {
      if (seq === checkSeq) timingError.value = e instanceof Error ? e.message : String(e);
    }
  }

  async function reset(task: TaskKind | null = null): Promise<void> {
    const c = await notices.attempt(() => call('config:defaults', { task }));
    if (c) set(c, 'defaults', '');
  }

  function set(config: RunConfig, from: string, runName: string): void {
    fork.value = null;
    importing.value = null;
    draft.value = clone(config);
    origin.value = from;
    name.value = runName;
  }

  /** Clone an old run's config (name, tags and notes are the user's to set). */
  async function cloneRun(id: number): Promise<void> {
    const r = await runs.record(id);
    if (r) set(r.config, `a copy of run ${r.id} “${r.name}”`, `${r.name} (copy)`);
  }

  /** Fork an old run: its config to edit, starting from one of its snapshots (the latest by default). */
  async function startFork(id: number): Promise<void> {
    const r = await runs.record(id, true);
    const snaps = await notices.attempt(() => call('snapshots:list', { id }));
    if (!r || !snaps) return;
    set(r.config, `run ${r.id} “${r.name}”`, '');
    const steps = snaps.map((s) => s.step);
    const configLr = r.config.training.lr;
    fork.value = { id, steps, step: steps.length ? steps[steps.length - 1] : null, configLr, changes: lrChanges(configLr, snaps) };
    if (draft.value && fork.value.step !== null && draft.value.training.steps <= fork.value.step)
      draft.value.training.steps = fork.value.step + draft.value.training.steps;
  }

  /**
   * Import a weights file: the config it carries, or the defaults with the file's shape (hidden units, biases) and a
   * task whose sizes fit it where one is evident (sine with m = n channels, adding for 2 → 1); the user picks the rest.
   */
  async function startImport(fileName: string, data: Uint8Array, info: WeightsFileInfo): Promise<void> {
    const { m, d, n, hiddenBias, outputBias } = info.model;
    const carried = info.config === null ? null : await notices.attempt(() => call('config:check', { config: info.config }));
    const task: TaskKind = carried ? carried.config.task.kind : m === 2 && n === 1 ? 'adding' : 'sine';
    const base = carried?.config ?? (await notices.attempt(() => call('config:defaults', { task })));
    if (!base) return;
    set(base, `the file ${fileName}${carried ? ' (its config)' : ''}`, '');
    importing.value = { fileName, data, info };
    if (!draft.value || carried) return;
    Object.assign(draft.value.model, { hidden: d, hiddenBias, outputBias });
    if (draft.value.task.kind === 'sine' && m === n) draft.value.task.channels = m;
  }

  async function applyPreset(p: Preset): Promise<void> {
    const base = await notices.attempt(() => call('config:defaults', { task: p.task }));
    if (!base) return;
    const keep = draft.value?.task.kind === p.task ? { task: clone(draft.value.task) } : {};
    set(deepMerge(deepMerge(base, keep), p.config), `the preset “${p.label}”`, '');
  }

  /** Another task, with its default fields; the loss follows the task's default unless it was changed from the old one's. */
  async function setTask(kind: TaskKind): Promise<void> {
    if (!draft.value || draft.value.task.kind === kind) return;
    const d = await notices.attempt(() => call('config:defaults', { task: kind }));
    if (!d || !draft.value) return;
    if (draft.value.loss.kind === defaultLossKind(draft.value.task.kind)) draft.value.loss = d.loss;
    draft.value.task = d.task;
  }

  /** Switch a variant (say the optimizer to momentum), with that variant's default fields. */
  async function setVariant(path: VariantPath, kind: string): Promise<void> {
    const keys = path.split('.');
    const partial = keys.reduceRight<unknown>((inner, k) => ({ [k]: inner }), { kind });
    const d = await notices.attempt(() => call('config:check', { config: partial }));
    if (!d || !draft.value) return;
    const pick = (o: unknown) =>
      keys.reduce<Record<string, unknown>>((acc, k) => acc[k] as Record<string, unknown>, o as Record<string, unknown>);
    const parent = keys
      .slice(0, -1)
      .reduce<Record<string, unknown>>((acc, k) => acc[k] as Record<string, unknown>, draft.value as unknown as Record<string, unknown>);
    parent[keys[keys.length - 1]] = clone(pick(d.config));
  }

  /** Create the run (and start it); undefined when the config is refused. */
  async function submit(start: boolean): Promise<RunRecord | undefined> {
    if (!draft.value || !(await check())) {
      notices.push(
        'error',
        `The config has ${issues.value.length + (failure.value === null ? 0 : 1) || 'some'} problem(s); see the messages in the form.`,
      );
      return undefined;
    }
    const i = importing.value;
    if (i) {
      const args = { fileName: i.fileName, data: i.data, config: clone(draft.value), name: name.value.trim() || null, start };
      const run = await notices.attempt(() => call('import:weights', args));
      if (run) await runs.refresh();
      return run;
    }
    const f = fork.value;
    if (f) return runs.fork(f.id, f.step, clone(draft.value), name.value.trim() || null, start);
    return runs.create(clone(draft.value), { name: name.value.trim() || null, tags: tags.value, notes: notes.value, start });
  }

  return {
    draft,
    name,
    tags,
    notes,
    errors,
    general,
    shownFields,
    unplaced,
    estimate,
    timing,
    timingError,
    stale,
    checking,
    origin,
    fork,
    importing,
    check,
    reset,
    set,
    cloneRun,
    startFork,
    startImport,
    applyPreset,
    setTask,
    setVariant,
    submit,
  };
});
