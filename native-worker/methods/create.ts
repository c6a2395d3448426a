// A run's GradientMethod from its method kind (table.ts holds what is known
// of each kind without making one). Only the worker makes them.

import type { Activation, MethodConfig, MethodKind } from '../../common/contract';
import { createBptt } from './bptt';
import type { GradientMethod } from './gradient';
import { createRtrl } from './rtrl';
import { createRtrlFast } from './rtrl-fast';
import { createRtrlOnline } from './rtrl-online';
import type { MethodSizes } from './table';

const CREATE: Record<MethodKind, (sizes: MethodSizes, method: MethodConfig, act: Activation) => GradientMethod> = {
  rtrl: (sizes, _method, act) => createRtrl(sizes, act),
  'rtrl-fast': (sizes, _method, act) => createRtrlFast(sizes, act),
  'rtrl-online': (sizes, _method, act) => createRtrlOnline(sizes, act),
  bptt: createBptt,
  tbptt: createBptt,
};

export function createGradientMethod(sizes: MethodSizes, method: MethodConfig, act: Activation): GradientMethod {
  return CREATE[method.kind](sizes, method, act);
}
