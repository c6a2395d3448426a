// One table of the gradient methods: each method kind's properties
// (gradient.ts's MethodProperties: online or not, memory, cost, and its
// GradientMethod), one file per method beside this one. The trainer creates
// its method from here; memory.ts and estimate.ts read their figures here.

import type { MethodKind, RunConfig } from '../../common/contract';
import { bptt, tbptt } from './bptt';
import type { MethodProperties } from './gradient';
import { rtrl } from './rtrl';
import { rtrlFast } from './rtrl-fast';
import { rtrlOnline } from './rtrl-online';

export const METHODS: Record<MethodKind, MethodProperties> = {
  rtrl,
  'rtrl-fast': rtrlFast,
  'rtrl-online': rtrlOnline,
  bptt,
  tbptt,
};

/** Sequences per optimizer step: the batch size, or 1 for an online method. */
export function sequencesPerStep(config: Pick<RunConfig, 'method' | 'training'>): number {
  return METHODS[config.method.kind].online ? 1 : config.training.batchSize;
}
