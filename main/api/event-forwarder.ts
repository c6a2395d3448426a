// The run manager's events, passed on to the page (the Electron window or
// serve mode's sockets: one view for both transports). Progress arrives many
// times a second per run; it is merged per run and sent at most once per
// `intervalMs`, with nothing dropped. A run's pending progress is always sent
// before its next status change, so the page never sees a run 'completed'
// ahead of its last steps.

import type { ApiEvent, ApiEvents } from '../../common/contract';
import type { ManagerEvents } from '../runs/manager';

export interface EventSource {
  on<K extends keyof ManagerEvents>(event: K, listener: (e: ManagerEvents[K]) => void): () => void;
}

export type Send = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => void;

type Progress = ApiEvents['runs:progress'];

/** How often a page gets a run's merged progress (the live charts redraw at about this rate). */
export const PROGRESS_INTERVAL_MS = 100;

/** Starts forwarding; the returned function stops it and sends what is pending. */
export function forwardEvents(source: EventSource, send: Send, intervalMs: number): () => void {
  const pending = new Map<number, Progress>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flushRun = (id: number): void => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    send('runs:progress', p);
  };
  const flushAll = (): void => {
    timer = null;
    for (const id of [...pending.keys()]) flushRun(id);
  };

  const stops = [
    source.on('progress', (p) => {
      const held = pending.get(p.id);
      if (held) {
        for (const s of p.steps) held.steps.push(s);
        for (const e of p.evals) held.evals.push(e);
      } else {
        pending.set(p.id, { id: p.id, steps: [...p.steps], evals: [...p.evals] });
      }
      timer ??= setTimeout(flushAll, intervalMs);
    }),
    source.on('changed', (summary) => {
      flushRun(summary.id);
      send('runs:changed', summary);
    }),
    source.on('deleted', (e) => {
      pending.delete(e.id);
      send('runs:deleted', e);
    }),
  ];

  return () => {
    for (const stop of stops) stop();
    if (timer !== null) clearTimeout(timer);
    flushAll();
  };
}
