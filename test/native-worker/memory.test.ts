// One up-front memory check for every method, dtype and kernel kind: its
// figures match what the engine allocates, and it refuses what cannot run
// (RTRL over rtrlMemoryLimit, a workspace over WebAssembly's limit where the
// fast kernels keep it there, a total over the machine's memory), naming the
// fields to change; the trainer refuses the same before allocating.

import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../common/contract';
import { parseConfig } from '../../native-worker/config';
import { FastBptt } from '../../native-worker/engine/fast/bptt-fast';
import { BlockRtrl } from '../../native-worker/engine/fast/rtrl-block';
import { kernelAvailable, type KernelKind } from '../../native-worker/engine/fast/workspace';
import { WASM_MEMORY_LIMIT } from '../../native-worker/engine/fast/workspace-size';
import { layoutOf } from '../../native-worker/engine/params';
import type { FloatArray } from '../../native-worker/engine/tensor';
import { memoryError, memoryNeeds } from '../../native-worker/memory';
import { taskSizes } from '../../native-worker/tasks/sizes';
import { Trainer } from '../../native-worker/trainer';

const TiB = 2 ** 40;
const big = (extra: object = {}): RunConfig =>
  parseConfig({
    task: { kind: 'sine', channels: 4, T: 100_000, validationSequences: 1 },
    model: { hidden: 4096 },
    method: { kind: 'bptt' },
    ...extra,
  });
const messageOf = (config: RunConfig, kernels: KernelKind, physical = TiB) => {
  const e = memoryError(config, taskSizes(config.task), kernels, physical);
  return e === null ? null : e.issues[0];
};

describe('memory check', () => {
  it("BPTT with hidden 4096 and T = 100,000: over WebAssembly's limit on every WebAssembly kind, naming the fields", () => {
    for (const kernels of ['wasm', 'wasm-fma', 'native'] as KernelKind[]) {
      const issue = messageOf(big(), kernels);
      expect(issue?.path).toBe('task.T');
      expect(issue?.message).toMatch(
        /^bptt with d = 4096, T = 100000, batch 1 needs 6\.5 GiB of WebAssembly memory for BPTT's states, outputs and their gradients for T·B = 100000 time steps, over WebAssembly's limit of 4\.0 GiB; lower task\.T, training\.batchSize or model\.hidden$/,
      );
    }
    expect(messageOf(big({ method: { kind: 'tbptt', k: 10 } }), 'wasm')?.message).toMatch(/truncated BPTT's states/);
  });

  it("portable kernels and float32 are bounded by the machine's memory instead", () => {
    expect(messageOf(big(), 'ts')).toBeNull();
    expect(messageOf(big({ dtype: 'float32' }), 'wasm')).toBeNull();
    const issue = messageOf(big(), 'ts', 8 * 2 ** 30);
    expect(issue?.path).toBe('task.T');
    expect(issue?.message).toMatch(
      /^the run needs 14 GiB of memory, more than this machine's 8\.0 GiB: BPTT's states, outputs and their gradients for T·B = 100000 time steps 6\.5 GiB, the validation and probe forward passes 6\.1 GiB, .*; lower task\.T, training\.batchSize or model\.hidden$/,
    );
    const data = parseConfig({
      task: { kind: 'sine', channels: 256, T: 100_000, validationSequences: 1000 },
      model: { hidden: 8 },
      method: { kind: 'bptt' },
    });
    expect(messageOf(data, 'wasm', 64 * 2 ** 30)).toMatchObject({
      path: 'task.validationSequences',
      message: expect.stringMatching(
        /the run needs 1\.1 TiB of memory, more than this machine's 64 GiB: 1000 held-out sequences of T = 100000 763 GiB.*lower task\.validationSequences or task\.T$/,
      ),
    });
  });

  it("RTRL: the sensitivities over rtrlMemoryLimit first, then the block method's workspace over WebAssembly's limit", () => {
    const rtrl = parseConfig({ task: { kind: 'sine', channels: 64 }, model: { hidden: 512 }, method: { kind: 'rtrl' } });
    expect(messageOf(rtrl, 'ts')).toMatchObject({
      path: 'model.hidden',
      message: expect.stringMatching(/^exact RTRL with d = 512, m = 64 needs .* over the limit of 512 MiB \(rtrlMemoryLimit\)/),
    });
    const block = parseConfig({
      task: { kind: 'sine', channels: 4 },
      model: { hidden: 1024 },
      method: { kind: 'rtrl-fast' },
      rtrlMemoryLimit: 2 ** 50,
    });
    expect(messageOf(block, 'wasm')).toMatchObject({
      path: 'model.hidden',
      message: expect.stringMatching(
        /for the block method's sensitivities and one block of Jacobians, over WebAssembly's limit of 4\.0 GiB; lower model\.hidden$/,
      ),
    });
    expect(messageOf(block, 'ts')).toBeNull();
  });

  it('its workspace figures are the memory the fast kernels take', () => {
    const kinds = (['wasm', 'ts'] as KernelKind[]).filter(kernelAvailable);
    for (const kernels of kinds) {
      const config = parseConfig({
        task: { kind: 'sine', channels: 3, T: 40 },
        model: { hidden: 20 },
        method: { kind: 'bptt' },
        training: { batchSize: 3 },
      });
      const sizes = taskSizes(config.task);
      const layout = layoutOf({ m: 3, d: 20, n: 3, hiddenBias: false, outputBias: false });
      const bytesOf = (ws: { buffers: Readonly<Record<string, FloatArray>> }) => {
        const arrays = Object.values(ws.buffers);
        return kernels === 'ts' ? arrays.reduce((s, a) => s + Math.ceil(a.length / 8) * 64, 0) : arrays[0].buffer.byteLength;
      };
      const [bptt] = memoryNeeds(config, sizes, kernels).parts;
      const bpttWs = new FastBptt(layout, 'tanh', 40, 3, null, kernels).ws;
      expect(bpttWs.buffers.params.buffer.byteLength >= bptt.bytes || kernels === 'ts').toBe(true);
      expect(Math.abs(bytesOf(bpttWs) - bptt.bytes)).toBeLessThan(65536);
      const [block] = memoryNeeds({ ...config, method: { kind: 'rtrl-fast' } }, sizes, kernels).parts;
      expect(Math.abs(bytesOf(new BlockRtrl(layout, 'tanh', 20, kernels).ws) - block.bytes)).toBeLessThan(65536);
    }
    expect(WASM_MEMORY_LIMIT).toBe(4 * 2 ** 30);
  });

  it('the trainer refuses the same run before it allocates anything large', () => {
    expect(() => new Trainer(big())).toThrow(/needs \d+\.\d GiB .*(over WebAssembly's limit|more than this machine's)/);
  });
});
