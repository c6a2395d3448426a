// The terminal progress line: one line, redrawn in place, that never wraps
// (a wrapped line is redrawn below itself and floods the screen).

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EvalMetrics, HealthReport, RunSummary, StepMetrics } from '../../../common/contract';
import { endText, follow, healthText } from '../../../main/cli/follow';
import type { RunManager } from '../../../main/runs/manager';

/** Just the events follow() listens to. */
function fakeManager(): RunManager & { fire: (event: string, payload: unknown) => void } {
  const e = new EventEmitter();
  return Object.assign(Object.create(null) as RunManager, {
    on: (event: string, l: (p: unknown) => void) => (e.on(event, l), () => e.off(event, l)),
    stop: () => Promise.resolve(),
    fire: (event: string, payload: unknown) => e.emit(event, payload),
  });
}

/** The progress lines a terminal of `columns` shows for one batch of a run that then completes. */
async function drawn(columns: number, totalSteps: number, step: StepMetrics, ev: Partial<EvalMetrics>): Promise<string[]> {
  const manager = fakeManager();
  const writes: string[] = [];
  const done = follow(manager, 1, { json: false, tty: true, write: (s) => writes.push(s), totalSteps, columns: () => columns });
  manager.fire('progress', { id: 1, steps: [step], evals: [ev] });
  manager.fire('changed', { id: 1, status: 'completed', lastStep: totalSteps } as RunSummary);
  expect((await done).run.status).toBe('completed');
  return writes
    .join('')
    .split('\r\x1b[2K')
    .slice(1)
    .map((l) => l.replace(/\n$/, ''));
}

describe('follow on a terminal', () => {
  for (const columns of [40, 80, 120]) {
    it(`draws within ${columns} columns, whatever the figures`, async () => {
      const step = { step: 98_765_432, loss: -1.234567e-100, timestepsPerSec: 9.87e6 } as StepMetrics;
      const lines = await drawn(columns, 123_456_789, step, { step: 98_765_432, validationLoss: 1.5e300 });
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect([...l].length, l).toBeLessThan(columns);
      expect(lines.at(-1)).toMatch(/^step 98765432\/123456789 /);
      if (columns >= 120) expect(lines.at(-1)).toMatch(/█/); // the bar takes the room the figures leave
    });
  }
});

describe('follow shows the health', () => {
  const exploding: HealthReport = {
    state: 'exploding',
    step: 7,
    since: 2,
    reasons: ['ρ(W) = 5.29 with 91 % of units unsaturated: a gradient through time can grow 4.82× per step (> 4)'],
    remedy: 'clip gradients (training.clipNorm 1); lower the learning rate (0.02 → 0.002)',
  };

  for (const columns of [40, 80]) {
    it(`names a warning first on the progress line, within ${columns} columns`, async () => {
      const step = { step: 7, loss: 1234.5, timestepsPerSec: 1000 } as StepMetrics;
      const last = (await drawn(columns, 100_000, step, { step: 7, validationLoss: 2, health: exploding })).at(-1)!;
      expect(last).toMatch(/^step 7\/100000 ⚠ exploding /);
      expect([...last].length).toBeLessThan(columns);
    });
  }

  it('writes it in the JSON lines of evals and of the end', async () => {
    const manager = fakeManager();
    const writes: string[] = [];
    const done = follow(manager, 1, { json: true, tty: false, write: (s) => writes.push(s), totalSteps: 10 });
    manager.fire('progress', { id: 1, steps: [], evals: [{ step: 7, validationLoss: 2, health: exploding }] });
    manager.fire('changed', { id: 1, status: 'diverged', lastStep: 7, health: exploding } as unknown as RunSummary);
    await done;
    const lines = writes.map((w) => JSON.parse(w) as { type: string; health: unknown });
    expect(lines.map((l) => [l.type, l.health])).toEqual([
      ['eval', exploding],
      ['end', exploding],
    ]);
  });

  it('ends with the state and, unless the end message says it, the reason and the remedy', () => {
    const run = {
      id: 3,
      status: 'completed',
      lastStep: 500,
      bestValidationLoss: 0.2,
      endMessage: null,
      health: exploding,
    } as unknown as RunSummary;
    expect(endText(run)).toBe(
      'run 3 completed at step 500; best validation loss 0.2000; health exploding\n' +
        `health: exploding since step 2: ${exploding.reasons[0]}; remedy: ${exploding.remedy}`,
    );
    const diverged = { ...run, status: 'diverged', endMessage: `training diverged at step 9 … remedy: ${exploding.remedy}` } as RunSummary;
    expect(endText(diverged).split('\n')).toHaveLength(2);
    expect(endText({ ...run, health: null })).toBe('run 3 completed at step 500; best validation loss 0.2000; health —');
    expect(healthText({ ...exploding, state: 'healthy', reasons: [], remedy: null })).toBe('healthy');
  });
});

describe('follow shows the throughput', () => {
  it('prints steps/s by the wall clock over a window and the time steps/s, formatted', async () => {
    const manager = fakeManager();
    const writes: string[] = [];
    const done = follow(manager, 1, { json: false, tty: true, write: (s) => writes.push(s), totalSteps: 10_000, columns: () => 160 });
    // 1,000 steps in 2 s of the worker's clock: 500 steps/s, whatever one step's kernel time was
    const steps = Array.from(
      { length: 1001 },
      (_, i) => ({ step: i + 1, loss: 1, wallMs: 2 * i, timestepsPerSec: 152_345 }) as StepMetrics,
    );
    manager.fire('progress', { id: 1, steps: steps.slice(0, 500), evals: [] });
    manager.fire('progress', { id: 1, steps: steps.slice(500), evals: [] });
    manager.fire('changed', { id: 1, status: 'completed', lastStep: 1001 } as RunSummary);
    await done;
    expect(writes.join('')).toMatch(/ 500 steps\/s {2}152 k ts\/s /);
  });
});
