// The gradient methods' table (native-worker/methods/table.ts): one
// implementation per method kind and dtype, online or not as the table
// says, the sensitivity column count shared by every RTRL implementation,
// and the cost estimate's warning about rtrlMemoryLimit saying exactly what
// the memory check will do.

import { describe, expect, it } from 'vitest';
import type { Dtype, MethodConfig, RunConfig } from '../../common/contract';
import { parseConfig } from '../../native-worker/config';
import { BlockRtrl } from '../../native-worker/engine/fast/rtrl-block';
import { FastRtrl } from '../../native-worker/engine/fast/rtrl-naive';
import { layoutOf, sensitivityColumns } from '../../native-worker/engine/params';
import { Rtrl } from '../../native-worker/engine/rtrl';
import { estimateCost } from '../../native-worker/estimate';
import { memoryError, memoryNeeds } from '../../native-worker/memory';
import { METHODS, sequencesPerStep } from '../../native-worker/methods/table';
import { taskSizes } from '../../native-worker/tasks/sizes';
import { Trainer } from '../../native-worker/trainer';

const methods: MethodConfig[] = [
  { kind: 'bptt' },
  { kind: 'tbptt', k: 4 },
  { kind: 'rtrl' },
  { kind: 'rtrl-fast' },
  { kind: 'rtrl-online' },
];
const dtypes: Dtype[] = ['float64', 'float32'];

function config(method: MethodConfig, dtype: Dtype, hidden = 7): RunConfig {
  return parseConfig({
    seed: 3,
    dtype,
    task: { kind: 'sine', channels: 3, T: 11, validationSequences: 1 },
    model: { hidden, hiddenBias: true, outputBias: true },
    method,
    training: { steps: 10, batchSize: method.kind === 'rtrl-online' ? 1 : 2, lr: 0.05, optimizer: { kind: 'sgd' } },
  });
}

describe('sensitivityColumns', () => {
  it('is dm + d² (+ d with a hidden bias), the column count of every RTRL implementation', () => {
    for (const hiddenBias of [true, false]) {
      const layout = layoutOf({ m: 3, d: 5, n: 2, hiddenBias, outputBias: false });
      const cols = sensitivityColumns(layout.shape);
      expect(cols).toBe(hiddenBias ? 45 : 40);
      for (const rtrl of [new Rtrl(layout, 'tanh', 'float64'), new FastRtrl(layout, 'tanh'), new BlockRtrl(layout, 'tanh')]) {
        expect(rtrl.cols).toBe(cols);
        expect(rtrl.sensitivities.length).toBe(5 * cols);
      }
    }
  });
});

describe("the gradient methods' table", () => {
  for (const method of methods) {
    for (const dtype of dtypes) {
      it(`${method.kind}, ${dtype}: trains, carries state only online, and bounds by rtrlMemoryLimit only RTRL`, () => {
        const c = config(method, dtype);
        const { online } = METHODS[method.kind];
        expect(online).toBe(method.kind === 'rtrl-online');
        expect(sequencesPerStep({ ...c, training: { ...c.training, batchSize: 5 } })).toBe(online ? 1 : 5);
        const trainer = new Trainer(c);
        const first = trainer.runStep();
        expect(Number.isFinite(first.loss) && first.loss > 0).toBe(true);
        const snapshot = trainer.checkpoint();
        // online RTRL carries s and [P Q R]: d + d·cols values
        expect(snapshot.carry?.length ?? null).toBe(online ? 7 + 7 * sensitivityColumns({ m: 3, d: 7, hiddenBias: true }) : null);
        if (!online) {
          expect(() => new Trainer(c, { ...snapshot, carry: new Float64Array(3) })).toThrow(
            /carries online RTRL state but the method is not rtrl-online/,
          );
        }
        expect(memoryNeeds(c, taskSizes(c.task), 'ts').sensitivities !== null).toBe(method.kind !== 'bptt' && method.kind !== 'tbptt');
      });
    }
  }

  it('the estimate warns that a run will be refused exactly when the memory check refuses it', () => {
    for (const method of methods.filter((m) => m.kind !== 'bptt' && m.kind !== 'tbptt')) {
      for (const dtype of dtypes) {
        const base = config(method, dtype);
        const needs = memoryNeeds(base, taskSizes(base.task), 'ts').sensitivities!;
        // just over and just under the sensitivities' own bytes, and under the estimate's working memory
        for (const limit of [needs - 1, needs, Math.min(needs + 1, estimateCost(base).workingBytes - 1)]) {
          const c = { ...base, rtrlMemoryLimit: limit };
          const refused = memoryError(c, taskSizes(c.task), 'ts', 2 ** 40) !== null;
          const warned = estimateCost(c).warnings.some((w) => /the run will be refused/.test(w));
          expect(warned, `${method.kind}, ${dtype}, limit ${limit}`).toBe(refused);
        }
      }
    }
  });
});
