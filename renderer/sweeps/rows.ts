// A sweep as the sweep view shows it: each trial with its run's live
// summary, its status in words, its parameters as chart rows, and an axis
// per swept parameter with the scale its spec suggests.

import type { RunSummary } from '../../common/contract';
import type { SweepDetail, SweepTrial } from '../../common/sweep-contract';
import type { AxisSpec, ParamRow, ParamValue } from '../charts/param-axes';

export interface TrialView extends SweepTrial {
  /** The trial's status in words: its outcome once decided, else its run's status ("pending" before it has one). */
  status: string;
}

/** The trials with their runs as the runs store has them now (live), falling back to the sweep's copy. */
export function trialViews(d: SweepDetail, live: ReadonlyMap<number, RunSummary>): TrialView[] {
  return d.trialList.map((t) => {
    const run = t.run ? (live.get(t.run.id) ?? t.run) : null;
    const status = t.outcome === 'stopped-early' ? 'stopped early' : (t.outcome ?? run?.status ?? 'pending');
    return { ...t, run, status };
  });
}

/** A parameter's value as a chart value: numbers as they are, anything else as its JSON text. */
export function paramValue(v: unknown): ParamValue {
  return typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v);
}

/** One chart row per trial with a run; the metric is its best validation loss (null while it has none). */
export function paramRows(trials: readonly TrialView[], params: readonly string[]): ParamRow[] {
  return trials.flatMap((t) => {
    if (!t.run) return [];
    const v = t.run.bestValidationLoss;
    return [
      {
        runId: t.run.id,
        params: Object.fromEntries(params.map((p) => [p, paramValue(t.params[p])])),
        metric: v !== null && Number.isFinite(v) ? v : null,
        label: `trial ${t.trial} · run #${t.run.id} (${t.status})`,
      },
    ];
  });
}

/** The last segment of each path, or the whole path where two share a last segment. */
export function shortLabels(paths: readonly string[]): string[] {
  const last = paths.map((p) => p.split('.').pop()!);
  return paths.map((p, i) => (last.filter((l) => l === last[i]).length > 1 ? p : last[i]));
}

interface SpecShape {
  grid?: Record<string, unknown[]>;
  random?: Record<string, { kind: string; values?: unknown[] }>;
}

/**
 * An axis per swept parameter: log for a log-uniform draw, categories in
 * the spec's order for a list holding anything but numbers (seeds are
 * categories), the scale the values suggest otherwise.
 */
export function axisSpecs(d: SweepDetail): AxisSpec[] {
  const spec = d.spec as SpecShape;
  const labels = shortLabels(d.params);
  return d.params.map((key, i) => {
    const label = labels[i];
    if (key === 'seed' && !spec.grid?.seed && !spec.random?.seed) return { key, label, scale: 'category' };
    const r = spec.random?.[key];
    if (r?.kind === 'logUniform') return { key, label, scale: 'log' };
    const values = spec.grid?.[key] ?? (r?.kind === 'choice' ? r.values : undefined);
    if (values && values.some((v) => typeof v !== 'number'))
      return { key, label, scale: 'category', categories: values.map(paramValue).map(String) };
    return { key, label };
  });
}
