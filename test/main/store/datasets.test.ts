// A CSV or text task's data is stored once (migration 003): the run's row
// keeps a reference, so updating a run never rewrites the data, runs with the
// same data share it, and the last run using it takes it along when deleted.

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../common/contract';
import { Store } from '../../../main/store/store';
import { config, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
let raw: Database.Database;
beforeEach(() => {
  tmp = tempDir();
  store = Store.open(tmp.file('data.db'));
  raw = new Database(tmp.file('data.db'), { readonly: true });
});
afterEach(() => {
  raw.close();
  store.close();
  tmp.cleanup();
});

const csv = (rows: number, offset = 0): string =>
  'a,b\n' + Array.from({ length: rows }, (_, i) => `${i + offset},${(i * 0.5).toFixed(3)}`).join('\n') + '\n';
const csvConfig = (data: string): RunConfig => ({
  ...config,
  task: { kind: 'csv', csv: data, T: 20, validationFraction: 0.1, normalize: 'zscore' },
});
const textConfig = (text: string | null): RunConfig => ({ ...config, task: { kind: 'text', text, T: 20, validationFraction: 0.1 } });
const datasets = () => raw.prepare('SELECT count(*) FROM datasets').pluck().get();
const configBytes = (id: number) => raw.prepare('SELECT length(config) FROM runs WHERE id = ?').pluck().get(id) as number;

describe('datasets', () => {
  it('keeps the data out of the run row, and getRun returns the whole config', () => {
    const data = csv(20_000);
    const run = store.createRun({ name: 'csv', config: csvConfig(data), appVersion: 't' });
    expect(run.config).toEqual(csvConfig(data));
    expect(store.getRun(run.id)!.config).toEqual(csvConfig(data));
    expect(configBytes(run.id)).toBeLessThan(1000);
    const text = store.createRun({ name: 'text', config: textConfig('to be or not to be'), appVersion: 't' });
    expect(store.getRun(text.id)!.config).toEqual(textConfig('to be or not to be'));
    const sonnets = store.createRun({ name: 'sonnets', config: textConfig(null), appVersion: 't' });
    expect(store.getRun(sonnets.id)!.config).toEqual(textConfig(null));
    expect(datasets()).toBe(2);
  });

  it('a status or progress update does not rewrite the data', () => {
    const run = store.createRun({ name: 'csv', config: csvConfig(csv(50_000)), appVersion: 't' });
    const pages = (): number => raw.prepare("SELECT count(*) FROM dbstat WHERE name = 'runs'").pluck().get() as number;
    const before = pages();
    store.updateRun(run.id, { status: 'running' });
    store.appendProgress(run.id, { steps: [], evals: [], checkpoints: [] });
    store.updateRun(run.id, { status: 'completed', endMessage: null });
    expect(configBytes(run.id)).toBeLessThan(1000);
    expect(pages()).toBe(before);
    expect(before).toBeLessThan(5);
  });

  it('shares one copy between runs and deletes it with the last run using it', () => {
    const data = csv(100);
    const a = store.createRun({ name: 'a', config: csvConfig(data), appVersion: 't' });
    const b = store.createRun({ name: 'b', config: csvConfig(data), appVersion: 't' });
    expect(datasets()).toBe(1);
    store.deleteRun(a.id);
    expect(datasets()).toBe(1);
    expect(store.getRun(b.id)!.config).toEqual(csvConfig(data));
    store.updateRun(b.id, { config: csvConfig(csv(100, 7)) });
    expect(datasets()).toBe(1);
    expect(store.getRun(b.id)!.config).toEqual(csvConfig(csv(100, 7)));
    store.updateRun(b.id, { config: textConfig(null) });
    expect(datasets()).toBe(0);
    const c = store.createRun({ name: 'c', config: textConfig('abcabc'), appVersion: 't' });
    store.deleteRun(c.id);
    expect(datasets()).toBe(0);
  });
});
