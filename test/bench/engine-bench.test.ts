// `npm run bench -- engine` still runs and prints what the README says it
// prints: one quick workload in each dtype, through the same script, with the
// NumPy and PyTorch sides where this machine has them and a message where it
// does not, and for float32 the engine's own float64 beside it. Figures are
// only checked to be figures: tests never judge speed.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
/** The other sides need a Python with their module. */
const has = (module: string) =>
  ['python3', '/usr/bin/python3'].some((py) => spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0);

describe('the engine benchmark', () => {
  // float32 runs four processes (its float64 beside it); a shared machine may take minutes
  it.each([
    ['float64', 'bptt (m=n=4, d=32, T=50, B=1)'],
    ['float32', 'bptt float32 (m=n=4, d=32, T=50, B=1)'],
  ])(
    "prints the machine, then a JSON line per workload with the engine's figures beside NumPy's and PyTorch's: %s",
    (dtype, label) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', `--only=${label}`], {
        cwd: root,
        encoding: 'utf8',
        timeout: 280_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ machine: expect.any(String), node: process.version });
      const w = lines[1];
      expect(w.workload).toBe(label);
      expect(w.dtype).toBe(dtype);
      expect(w.engine_timesteps_per_sec).toBeGreaterThan(0);
      if (dtype === 'float32') {
        const float64 = w.engine_float64_timesteps_per_sec as number;
        expect(float64).toBeGreaterThan(0);
        expect(w.ratio_vs_float64).toBe(+((w.engine_timesteps_per_sec as number) / float64).toFixed(2));
      } else expect(w).not.toHaveProperty('ratio_vs_float64');
      expect(w.engine_peak_rss_mb).toBeGreaterThan(0);
      expect(w.engine_rss_growth_mb).toBeGreaterThanOrEqual(0);
      expect(dtype === 'float64' ? ['native', 'wasm-fma', 'wasm', 'ts'] : ['native', 'reference']).toContain(w.engine_kernels);
      const sides = [
        ['numpy', 'ratio', 'NumPy side skipped', has('numpy')],
        ['torch', 'ratio_vs_torch', 'PyTorch side (BPTT workloads) skipped', has('torch')],
      ] as const;
      for (const [side, ratio, skipped, present] of sides) {
        if (present) {
          const theirs = w[`${side}_timesteps_per_sec`] as number;
          expect(theirs, side).toBeGreaterThan(0);
          expect(w[ratio], side).toBe(+((w.engine_timesteps_per_sec as number) / theirs).toFixed(2));
        } else {
          expect(w[`${side}_timesteps_per_sec`], side).toBeNull();
          expect(r.stderr).toContain(skipped);
        }
      }
    },
    300_000,
  );
});
