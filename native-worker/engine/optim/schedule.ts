// Learning-rate schedules: the rate of optimizer step `step` (0-based) from
// the base rate. Cosine is plain annealing (no warm restarts): it falls from
// base at step 0 to minLr at step `period` and stays there.

import type { ScheduleConfig } from '../../../common/contract';
import { SCHEDULE_KINDS } from '../../../common/values';

export function scheduledLr(base: number, schedule: ScheduleConfig, step: number): number {
  if (!Number.isFinite(base) || base < 0) throw new RangeError(`lr must be a finite number ≥ 0, got ${base}`);
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`schedule step must be a non-negative integer, got ${step}`);
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step': {
      if (!Number.isInteger(schedule.every) || schedule.every < 1) {
        throw new RangeError(`schedule.every must be a positive integer, got ${schedule.every}`);
      }
      requirePositive('schedule.factor', schedule.factor);
      return base * Math.pow(schedule.factor, Math.floor(step / schedule.every));
    }
    case 'exponential':
      requirePositive('schedule.gamma', schedule.gamma);
      return base * Math.pow(schedule.gamma, step);
    case 'cosine': {
      if (!Number.isInteger(schedule.period) || schedule.period < 1) {
        throw new RangeError(`schedule.period must be a positive integer, got ${schedule.period}`);
      }
      const { minLr, period } = schedule;
      if (!Number.isFinite(minLr) || minLr < 0) throw new RangeError(`schedule.minLr must be a finite number ≥ 0, got ${minLr}`);
      if (step >= period) return minLr;
      return minLr + 0.5 * (base - minLr) * (1 + Math.cos((Math.PI * step) / period));
    }
    default: {
      const unknown: never = schedule;
      throw new RangeError(
        `schedule.kind must be one of ${SCHEDULE_KINDS.join(', ')}; got ${JSON.stringify((unknown as { kind: unknown }).kind)}`,
      );
    }
  }
}

function requirePositive(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${field} must be a finite number > 0, got ${value}`);
}
