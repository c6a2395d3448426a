// What each run status allows, and why a run is in it, in one place for
// the controls, the badges and the table.

import type { RunSummary } from '../common/contract';
import { ACTIVE_STATUSES, ENDED_STATUSES, type RunStatus } from '../common/statuses';

export const isEnded = (s: RunStatus) => ENDED_STATUSES.includes(s);
export const isTraining = (s: RunStatus) => s === 'running' || s === 'paused';
export const canStop = (s: RunStatus) => ACTIVE_STATUSES.includes(s);

/**
 * Why a run is in its status, for the badge's tooltip: an ended run's end
 * message, or what a queued run waits for (runs hold a worker while
 * running or paused; `maxConcurrent` is this app's limit, null if unknown).
 */
export function statusReason(r: RunSummary, all: readonly RunSummary[], maxConcurrent: number | null): string | null {
  if (r.status === 'queued') {
    const busy = all.filter((x) => isTraining(x.status)).length;
    const ahead = all.filter(
      (x) => x.status === 'queued' && (x.updatedAt < r.updatedAt || (x.updatedAt === r.updatedAt && x.id < r.id)),
    ).length;
    const slots = maxConcurrent === null ? `${busy} running` : `${busy} of ${maxConcurrent} running`;
    return `waiting for a free worker: ${slots}${ahead ? `; ${ahead} queued ahead of it` : ''}`;
  }
  if (r.endMessage) return r.endMessage;
  if (r.status === 'paused') return 'paused: it keeps its worker until it is resumed or stopped';
  return null;
}
