// Starting points per task for the new-run form. Each is a partial config:
// the engine fills every other field with its default.

import type { TaskKind } from '../../common/contract';

export interface Preset {
  id: string;
  task: TaskKind;
  label: string;
  hint: string;
  config: Record<string, unknown>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'sine-rtrl',
    task: 'sine',
    label: 'Sine · exact RTRL',
    hint: 'small net, every gradient exact',
    config: { task: { kind: 'sine' }, model: { hidden: 16 }, method: { kind: 'rtrl' }, training: { steps: 2000, lr: 0.01 } },
  },
  {
    id: 'sine-rtrl-fast',
    task: 'sine',
    label: 'Sine · fast exact RTRL',
    hint: 'the same gradient in O(d³) per step, d = 64',
    config: { task: { kind: 'sine' }, model: { hidden: 64 }, method: { kind: 'rtrl-fast' }, training: { steps: 2000, lr: 0.003 } },
  },
  {
    id: 'sine-online',
    task: 'sine',
    label: 'Sine · online RTRL',
    hint: 'weights change at every time step',
    config: { task: { kind: 'sine' }, model: { hidden: 16 }, method: { kind: 'rtrl-online' }, training: { steps: 2000, lr: 0.003 } },
  },
  {
    id: 'copy-bptt',
    task: 'copy',
    label: 'Copy · memory',
    hint: 'recall symbols after a delay; cross-entropy',
    config: {
      task: { kind: 'copy', symbols: 8, length: 5, delay: 10 },
      model: { hidden: 64, init: 'orthogonal' },
      method: { kind: 'bptt' },
      loss: { kind: 'xent' },
      training: { steps: 5000, batchSize: 16, lr: 0.003, clipNorm: 1 },
    },
  },
  {
    id: 'adding-tbptt',
    task: 'adding',
    label: 'Adding · long range',
    hint: 'T=100, truncated BPTT, clipped',
    config: {
      task: { kind: 'adding', T: 100 },
      model: { hidden: 64, init: 'identity', activation: 'relu' },
      method: { kind: 'tbptt', k: 25 },
      training: { steps: 5000, batchSize: 16, lr: 0.001, clipNorm: 1 },
    },
  },
  {
    id: 'text-bptt',
    task: 'text',
    label: 'Text · characters',
    hint: 'next-character prediction on the built-in corpus',
    config: {
      task: { kind: 'text', text: null, T: 50 },
      model: { hidden: 128 },
      method: { kind: 'tbptt', k: 25 },
      loss: { kind: 'xent' },
      training: { steps: 10000, batchSize: 8, lr: 0.002, clipNorm: 5 },
    },
  },
  {
    id: 'csv-bptt',
    task: 'csv',
    label: 'CSV · time series',
    hint: 'predict the next row of your data',
    config: { task: { kind: 'csv', T: 50 }, model: { hidden: 32 }, method: { kind: 'bptt' }, training: { steps: 3000, batchSize: 8 } },
  },
];
