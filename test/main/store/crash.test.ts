import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/store/store';
import { config, CRASH_STEPS_PER_BATCH as STEPS_PER_BATCH, makeSteps, tempDir } from './fixtures';

const WRITER = path.join(import.meta.dirname, 'crash-writer.ts');

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Runs the writer until it has reported `atLeast` commits, SIGKILLs it, and returns every batch it reported. */
function writeUntilKilled(file: string, runId: number, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(runId)], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: number[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) committed.push(Number(/^committed (\d+)$/.exec(line)?.[1]));
      if (committed.length >= atLeast && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited (${code}) before it was killed: ${stderr}`));
      else resolve(committed);
    });
  });
}

describe('a writer killed mid-batch', () => {
  it('leaves a sound file holding every batch it reported, and only whole batches', async () => {
    const file = tmp.file('crash.db');
    const setup = Store.open(file);
    const runId = setup.createRun({ name: 'crash', config, appVersion: '0.1.0', status: 'running' }).id;
    setup.close();

    let reported = 0;
    for (const atLeast of [15, 25, 40]) {
      const committed = await writeUntilKilled(file, runId, atLeast);
      expect(committed.length).toBeGreaterThanOrEqual(atLeast);
      expect(committed).toEqual(committed.map((_, i) => committed[0] + i));
      reported = committed[committed.length - 1];

      const store = Store.open(file);
      expect(store.integrityCheck()).toEqual(['ok']);
      const run = store.getRun(runId);
      const lastStep = run?.lastStep ?? 0;
      // Every reported batch is there; at most the one being written when the kill came is extra.
      expect(lastStep % STEPS_PER_BATCH).toBe(0);
      expect(lastStep / STEPS_PER_BATCH).toBeGreaterThanOrEqual(reported);
      expect(lastStep / STEPS_PER_BATCH).toBeLessThanOrEqual(reported + 1);
      const written = Array.from({ length: lastStep / STEPS_PER_BATCH }, (_, i) => makeSteps(i * STEPS_PER_BATCH + 1, STEPS_PER_BATCH));
      expect(store.readSteps(runId, 1, lastStep)).toEqual(written.flat());
      expect(store.listEvalSteps(runId)).toEqual(Array.from({ length: lastStep / STEPS_PER_BATCH }, (_, i) => (i + 1) * STEPS_PER_BATCH));
      expect(store.latestCheckpoint(runId)?.step).toBe(Math.floor(lastStep / (5 * STEPS_PER_BATCH)) * 5 * STEPS_PER_BATCH);
      expect(store.markInterrupted()).toEqual([runId]);
      store.updateRun(runId, { status: 'running' });
      store.close();
    }
  });
});
