// The runs as rows for the history-wide plots (parallel coordinates and a
// parameter against the metric): the config fields that vary between the
// runs, the ones shown first, and each run's values on them with its best
// validation loss.

import type { Leaf } from '../../common/config-leaves';
import type { RunSummary } from '../../common/contract';
import type { ParamRow, ParamValue } from '../charts/param-axes';

type Params = ReadonlyMap<number, Readonly<Record<string, Leaf>>>;

/** The fields shown first when they vary, most telling first; the rest follow in path order. */
const PREFERRED = [
  'training.lr',
  'model.hidden',
  'training.optimizer.kind',
  'method.kind',
  'training.batchSize',
  'model.activation',
  'model.init',
  'model.gain',
  'training.clipNorm',
  'training.weightDecay',
  'task.T',
  'seed',
];
const rank = (p: string) => (PREFERRED.includes(p) ? PREFERRED.indexOf(p) : PREFERRED.length);

/** The config paths with two values or more among the runs that have them (a variant's own field, Adam's beta1 say, set alike in every Adam run, is not), the preferred ones first. */
export function varyingPaths(ids: readonly number[], params: Params): string[] {
  const known = ids.flatMap((id): Readonly<Record<string, Leaf>>[] => {
    const p = params.get(id);
    return p ? [p] : [];
  });
  const keys = new Set(known.flatMap((p) => Object.keys(p)));
  return [...keys]
    .filter((k) => new Set(known.flatMap((p) => (k in p ? [JSON.stringify(p[k])] : []))).size > 1)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The axes shown before the user picks: the first few varying fields, the seed only when little else varies (it explains nothing). */
export function defaultAxes(varying: readonly string[], count = 5): string[] {
  const telling = varying.filter((p) => p !== 'seed');
  return (telling.length >= 2 ? telling : varying).slice(0, count);
}

function asParam(v: Leaf | undefined): ParamValue | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? String(v) : v;
}

/** One row per run: its values on these fields and its best validation loss. */
export function paramRows(runs: readonly RunSummary[], params: Params, paths: readonly string[]): ParamRow[] {
  return runs.map((r) => {
    const p = params.get(r.id) ?? {};
    const values: Record<string, ParamValue> = {};
    for (const path of paths) {
      const v = asParam(p[path]);
      if (v !== undefined) values[path] = v;
    }
    return { runId: r.id, params: values, metric: r.bestValidationLoss, label: `#${r.id} ${r.name}` };
  });
}
