// The WebAssembly modules the engine ships (kernels-wasm.ts, base64) must be
// exactly what kernels.as compiles to with the pinned AssemblyScript, so the
// committed bytes never drift from their source.

import { describe, expect, it } from 'vitest';
import { compileKernels, moduleSource } from '../../../../native-worker/engine/wasm/build';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../../../../native-worker/engine/wasm/kernels-wasm';

const decode = (b64: string): Buffer => Buffer.from(b64, 'base64');

describe('kernels-wasm.ts', () => {
  it('holds the builds of kernels.as, byte for byte', async () => {
    const plain = await compileKernels('plain');
    const relaxed = await compileKernels('relaxed');
    expect(decode(KERNELS_WASM_BASE64).equals(Buffer.from(plain))).toBe(true);
    expect(decode(KERNELS_RELAXED_WASM_BASE64).equals(Buffer.from(relaxed))).toBe(true);
    // the relaxed build differs: it holds the fused multiply-adds
    expect(Buffer.from(plain).equals(Buffer.from(relaxed))).toBe(false);
    const source = moduleSource(plain, relaxed);
    expect(source).toContain(`'${KERNELS_WASM_BASE64.slice(0, 100)}'`);
    expect(source).toContain(`'${KERNELS_RELAXED_WASM_BASE64.slice(0, 100)}'`);
  });
});
