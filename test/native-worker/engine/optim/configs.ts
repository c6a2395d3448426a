// One configuration of every optimizer (Nesterov counted separately), with a
// learning rate that suits the badly-conditioned quadratic of the tests.

import type { OptimizerConfig } from '../../../../common/contract';

export const everyOptimizer: { name: string; config: OptimizerConfig; lr: number }[] = [
  { name: 'sgd', config: { kind: 'sgd' }, lr: 0.019 },
  { name: 'momentum', config: { kind: 'momentum', momentum: 0.9, nesterov: false }, lr: 0.01 },
  { name: 'nesterov', config: { kind: 'momentum', momentum: 0.9, nesterov: true }, lr: 0.01 },
  { name: 'adagrad', config: { kind: 'adagrad', eps: 1e-10 }, lr: 0.5 },
  { name: 'rmsprop', config: { kind: 'rmsprop', rho: 0.9, eps: 1e-8 }, lr: 0.01 },
  { name: 'adam', config: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, lr: 0.05 },
];
