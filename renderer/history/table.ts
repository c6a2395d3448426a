// Filtering and sorting the run table (on the client: every run and its
// config's parameters are in memory, so typing in the search box answers
// instantly).

import type { RunStatus, RunSummary } from '../../common/contract';
import type { Leaf } from '../../common/config-leaves';
import { HEALTH_STATES } from '../../common/values';
import { knownPaths, matchesSearch, parseSearch } from './search';

export interface RunQuery {
  search: string;
  status: RunStatus | '';
  tag: string;
}

export type SortKey =
  | 'id'
  | 'name'
  | 'status'
  | 'health'
  | 'taskKind'
  | 'methodKind'
  | 'hidden'
  | 'lastStep'
  | 'bestValidationLoss'
  | 'createdAt'
  | 'updatedAt';

/** `params`: each run's config as parameters, for conditions on the config (history/search.ts). */
export function filterRuns(
  runs: readonly RunSummary[],
  q: RunQuery,
  params: ReadonlyMap<number, Readonly<Record<string, Leaf>>> = new Map(),
): RunSummary[] {
  const search = parseSearch(q.search, knownPaths(params.values()));
  return runs.filter((r) => {
    if (q.status && r.status !== q.status) return false;
    if (q.tag && !r.tags.includes(q.tag)) return false;
    return matchesSearch(r, params.get(r.id), search);
  });
}

/** Sort a copy; runs without a value (no validation loss yet) go last either way. */
export function sortRuns(runs: readonly RunSummary[], key: SortKey, descending: boolean): RunSummary[] {
  const value = (r: RunSummary): number | string | null => (key === 'health' ? severity(r) : r[key]);
  const dir = descending ? -1 : 1;
  return [...runs].sort((a, b) => {
    const x = value(a),
      y = value(b);
    if (x === null || y === null) return x === y ? b.id - a.id : x === null ? 1 : -1;
    const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : (x as number) - (y as number);
    return c === 0 ? b.id - a.id : dir * c;
  });
}

/** How bad a run's health is: 0 healthy, then HEALTH_STATES from the end (not-learning 1 … exploding 4); null unmeasured. */
function severity(r: RunSummary): number | null {
  if (!r.health) return null;
  return r.health.state === 'healthy' ? 0 : HEALTH_STATES.length - HEALTH_STATES.indexOf(r.health.state);
}

export function allTags(runs: readonly RunSummary[]): string[] {
  return [...new Set(runs.flatMap((r) => r.tags))].sort();
}
