// The run manager's events, passed on to the page (the Electron window or
// serve mode's sockets: one view for both transports). Progress arrives many
// times a second per run; it is merged per run and sent at most once per
// `intervalMs`, thinned by M4 (live-thinning.ts: every series' first, lowest,
// highest and last step of the batch; the store keeps every step). Sends
// also keep to a byte budget: after sending B bytes the next progress waits
// B / bytesPerSecond, so however fast the runs train and however many there
// are, a page gets at most about bytesPerSecond (a burst of one send above
// it at most); with several runs pending, one run is sent at a time, the
// run that waited longest first. A run's pending progress is always sent before its next
// status change, so the page never sees a run 'completed' ahead of its last
// steps.

import type { ApiEvent, ApiEvents } from '../../common/contract';
import type { ManagerEvents } from '../runs/manager';
import { thinEvals, thinSteps } from './live-thinning';

export interface EventSource {
  on<K extends keyof ManagerEvents>(event: K, listener: (e: ManagerEvents[K]) => void): () => void;
}

export type Send = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => void;

type Progress = ApiEvents['runs:progress'];

/** How often a page gets a run's merged progress (the live charts redraw at about this rate). */
export const PROGRESS_INTERVAL_MS = 100;
/** The live path's byte budget: what all runs' progress may take per second to one page. */
export const PROGRESS_BYTES_PER_SECOND = 200_000;

/** Starts forwarding; the returned function stops it and sends what is pending. */
export function forwardEvents(source: EventSource, send: Send, intervalMs: number, bytesPerSecond = PROGRESS_BYTES_PER_SECOND): () => void {
  const pending = new Map<number, Progress>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Before this time (Date.now()) the bytes already sent leave no room for more progress; a quiet page banks at most intervalMs of budget. */
  let nextAllowed = 0;

  const flushRun = (id: number): void => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    const thinned: Progress = { id, steps: thinSteps(p.steps), evals: thinEvals(p.evals) };
    const bytes = Buffer.byteLength(JSON.stringify(thinned));
    nextAllowed = Math.max(nextAllowed, Date.now() - intervalMs) + (1000 * bytes) / bytesPerSecond;
    send('runs:progress', thinned);
  };
  /** Sends what every run has pending (a stop, or a status change's run alone: flushRun). */
  const flushAll = (): void => {
    for (const id of [...pending.keys()]) flushRun(id);
  };
  /** Runs in the order they became pending while the budget has room, the rest once it has again: no one send carries every run. */
  const flushNext = (): void => {
    timer = null;
    do flushRun(pending.keys().next().value!);
    while (pending.size > 0 && nextAllowed <= Date.now());
    if (pending.size > 0) timer = setTimeout(flushNext, nextAllowed - Date.now());
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
      timer ??= setTimeout(flushNext, Math.max(intervalMs, nextAllowed - Date.now()));
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
    timer = null;
    flushAll();
  };
}
