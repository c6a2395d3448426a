// The run manager's check (config:check, runs:create) works from the task's
// sizes: it never builds task data in the main process, and it refuses a run
// whose memory needs cannot be met, naming the fields and the figures.

import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tasks from '../../../native-worker/tasks';
import { ConfigError } from '../../../native-worker/config';
import { testWorkbench, waitFor, type TestBench } from '../../support/workbench';

vi.mock('../../../native-worker/tasks', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../native-worker/tasks')>();
  return { ...actual, createTask: vi.fn(actual.createTask) };
});

const benches: TestBench[] = [];
const bench = () => {
  const b = testWorkbench();
  benches.push(b);
  return b;
};
afterEach(async () => {
  vi.mocked(tasks.createTask).mockClear();
  while (benches.length) await benches.pop()!.close();
});

describe('checking a config', () => {
  it('sine with T = 100,000 and 256 channels: sizes only, no sequence generated', () => {
    const wb = bench();
    const before = process.memoryUsage().arrayBuffers;
    const { config, estimate } = wb.manager.check({
      task: { kind: 'sine', T: 100_000, channels: 256, validationSequences: 1 },
      model: { hidden: 32 },
      method: { kind: 'bptt' },
    });
    expect(config.task).toMatchObject({ T: 100_000, channels: 256 });
    expect(estimate).toMatchObject({ m: 256, n: 256, d: 32 });
    expect(tasks.createTask).not.toHaveBeenCalled();
    // one held-out sequence alone would be 2 × 100,000 × 256 float64 = 390 MiB
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
  });

  it('a CSV and a text from their header and alphabet; a bad cell is reported when the run starts', async () => {
    const wb = bench();
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 7}`);
    const csv = { kind: 'csv', csv: `a,b\n${rows.join('\n')}\n`, T: 5 };
    expect(wb.manager.check({ task: csv, method: { kind: 'bptt' } }).estimate).toMatchObject({ m: 2, n: 2 });
    expect(wb.manager.check({ task: { kind: 'text', text: 'abcab'.repeat(40), T: 5 }, method: { kind: 'bptt' } }).estimate).toMatchObject({
      m: 3,
      n: 3,
    });
    expect(tasks.createTask).not.toHaveBeenCalled();

    rows[29] = '29,oops';
    const run = wb.manager.create({
      config: { task: { ...csv, csv: `a,b\n${rows.join('\n')}\n` }, method: { kind: 'bptt' }, training: { steps: 5 } },
      name: null,
    });
    wb.manager.start(run.id);
    expect(await waitFor(wb, run.id, ['failed', 'completed', 'crashed'])).toMatchObject({
      status: 'failed',
      endMessage: expect.stringContaining('task.csv: line 31, column 2 ("b"): "oops" is not a number'),
    });
  });

  it('refuses BPTT with hidden 4096 and T = 100,000 up front, naming the fields and the figures', () => {
    const wb = bench();
    let error: unknown;
    try {
      wb.manager.check({ task: { kind: 'sine', T: 100_000 }, model: { hidden: 4096 }, method: { kind: 'bptt' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const [issue] = (error as ConfigError).issues;
    expect(issue.path).toBe('task.T');
    // WebAssembly's limit where the fast kernels keep their buffers there; else the machine's memory
    expect(issue.message).toMatch(/needs \d+(\.\d)? GiB .*(over WebAssembly's limit of 4\.0 GiB|more than this machine's)/);
    expect(issue.message).toMatch(/lower task\.T, training\.batchSize or model\.hidden/);
    expect(tasks.createTask).not.toHaveBeenCalled();
  });
});
