// The terminal progress line: one line, redrawn in place, that never wraps
// (a wrapped line is redrawn below itself and floods the screen).

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RunSummary, StepMetrics } from '../../../common/contract';
import { follow } from '../../../main/cli/follow';
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

describe('follow on a terminal', () => {
  for (const columns of [40, 80, 120]) {
    it(`draws within ${columns} columns, whatever the figures`, async () => {
      const manager = fakeManager();
      const writes: string[] = [];
      const done = follow(manager, 1, {
        json: false,
        tty: true,
        write: (s) => writes.push(s),
        totalSteps: 123_456_789,
        columns: () => columns,
      });
      const step = { step: 98_765_432, loss: -1.234567e-100, timestepsPerSec: 9.87e6 } as StepMetrics;
      manager.fire('progress', { id: 1, steps: [step], evals: [{ step: 98_765_432, validationLoss: 1.5e300 }] });
      manager.fire('changed', { id: 1, status: 'completed', lastStep: 123_456_789 } as RunSummary);
      expect((await done).run.status).toBe('completed');
      const lines = writes
        .join('')
        .split('\r\x1b[2K')
        .slice(1)
        .map((l) => l.replace(/\n$/, ''));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect([...l].length, l).toBeLessThan(columns);
      expect(lines.at(-1)).toMatch(/^step 98765432\/123456789 /);
      if (columns >= 120) expect(lines.at(-1)).toMatch(/█/); // the bar takes the room the figures leave
    });
  }
});
