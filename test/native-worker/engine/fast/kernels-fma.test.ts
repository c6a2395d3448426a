// The relaxed-SIMD ('wasm-fma') kernels need a V8 flag in Node 20 (Electron
// and newer Node have it on), so they are checked in a child process that
// sets it: products and every gradient method against the reference kernels.

import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('wasm-fma kernels', () => {
  it('agree with the reference kernels to ≤ 1e-12 and are preferred to plain SIMD where available', () => {
    const env = { ...process.env, RNN_WORKBENCH_KERNELS: 'wasm-fma' };
    const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', resolve(here, 'fma-check.ts')], {
      encoding: 'utf8',
      env,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>;
    expect(out.available).toBe(true);
    expect(out.chosen).toBe('wasm-fma');
    for (const k of ['products', 'bptt', 'rtrl']) expect(out[k], k).toBeLessThanOrEqual(1e-12);
    expect(out.block).toBeLessThanOrEqual(1e-10);
  });
});
