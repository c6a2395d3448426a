import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, RunSummary, StepMetrics } from '../../../common/contract';
import { forwardEvents, type EventSource } from '../../../main/api/event-forwarder';
import type { ManagerEvents } from '../../../main/runs/manager';

function fakeManager() {
  const listeners: { [K in keyof ManagerEvents]?: ((e: ManagerEvents[K]) => void)[] } = {};
  const source: EventSource = {
    on(event, l) {
      (listeners[event] ??= []).push(l as never);
      return () => {
        listeners[event] = (listeners[event] as unknown[]).filter((x) => x !== l) as never;
      };
    },
  };
  const emit = <K extends keyof ManagerEvents>(event: K, e: ManagerEvents[K]) =>
    (listeners[event] ?? []).forEach((l) => (l as (e: ManagerEvents[K]) => void)(e));
  return { source, emit, count: () => Object.values(listeners).reduce((n, l) => n + l.length, 0) };
}

const step = (n: number) => ({ step: n, loss: 1 / n }) as unknown as StepMetrics;
const summary = (id: number, status: RunSummary['status']) => ({ id, status }) as RunSummary;

describe('forwarding run events to the window', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('merges progress per run and sends it once per interval, losing nothing', () => {
    const m = fakeManager();
    const sent: [ApiEvent, unknown][] = [];
    forwardEvents(m.source, (e, p) => sent.push([e, p]), 200);
    m.emit('progress', { id: 1, steps: [step(1), step(2)], evals: [] });
    m.emit('progress', { id: 2, steps: [step(1)], evals: [] });
    m.emit('progress', { id: 1, steps: [step(3)], evals: [] });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(sent).toEqual([
      ['runs:progress', { id: 1, steps: [step(1), step(2), step(3)], evals: [] }],
      ['runs:progress', { id: 2, steps: [step(1)], evals: [] }],
    ]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
  });

  it("sends a run's pending progress before its status change, and drops it when the run is deleted", () => {
    const m = fakeManager();
    const sent: [ApiEvent, unknown][] = [];
    forwardEvents(m.source, (e, p) => sent.push([e, p]), 200);
    m.emit('progress', { id: 1, steps: [step(9)], evals: [] });
    m.emit('progress', { id: 2, steps: [step(4)], evals: [] });
    m.emit('changed', summary(1, 'completed'));
    m.emit('deleted', { id: 2 });
    vi.advanceTimersByTime(200);
    expect(sent.map(([e, p]) => [e, (p as { id: number }).id])).toEqual([
      ['runs:progress', 1],
      ['runs:changed', 1],
      ['runs:deleted', 2],
    ]);
  });

  it('stops listening when disposed, after sending what was pending', () => {
    const m = fakeManager();
    const sent: [ApiEvent, unknown][] = [];
    const stop = forwardEvents(m.source, (e, p) => sent.push([e, p]), 200);
    m.emit('progress', { id: 1, steps: [step(1)], evals: [] });
    stop();
    expect(sent).toHaveLength(1);
    expect(m.count()).toBe(0);
    m.emit('changed', summary(1, 'running'));
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
  });
});
