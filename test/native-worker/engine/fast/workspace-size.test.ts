// The memory check outside the worker (engine-api's checkConfig) knows no
// kernel: it assumes a WebAssembly kind's workspace sizes, which every kind
// but 'ts' shares, and 'ts' where RNN_WORKBENCH_KERNELS forces it.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkedKernelKind, workspaceBytes } from '../../../../native-worker/engine/fast/workspace-size';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the kernel kind a memory check assumes without loading kernels', () => {
  it("is 'wasm' unless the kernels are forced to 'ts'", () => {
    for (const [forced, kind] of [
      [undefined, 'wasm'],
      ['native', 'wasm'],
      ['wasm-fma', 'wasm'],
      ['ts', 'ts'],
    ] as const) {
      vi.stubEnv('RNN_WORKBENCH_KERNELS', forced);
      expect({ forced, kind: checkedKernelKind() }).toEqual({ forced, kind });
    }
  });

  it('takes the sizes of every kind that keeps its workspaces in WebAssembly memory', () => {
    const lengths = { params: 1001, sens: 3 * 4097, g: 7 };
    const wasm = workspaceBytes(lengths, 'wasm');
    expect([workspaceBytes(lengths, 'native'), workspaceBytes(lengths, 'wasm-fma')]).toEqual([wasm, wasm]);
    expect(workspaceBytes(lengths, 'ts')).toBeLessThan(wasm);
  });
});
