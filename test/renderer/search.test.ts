import { describe, expect, it } from 'vitest';
import { configParams } from '../../common/config-leaves';
import { filterRuns } from '../../renderer/history/table';
import { parseSearch, resolveField } from '../../renderer/history/search';
import { parseConfig } from '../../native-worker/config';
import { summary } from './support/fake-api';

const cfg = (lr: number, method: string, hidden: number, optimizer: string) =>
  configParams(parseConfig({ model: { hidden }, method: { kind: method }, training: { lr, optimizer: { kind: optimizer } } }));

const runs = [
  summary(1, { name: 'baseline', notes: 'first try', tags: ['keep'] }),
  summary(2, { name: 'wide', status: 'failed' }),
  summary(3, { name: 'adam wide', tags: ['sweep 1'] }),
];
const params = new Map([
  [1, cfg(0.01, 'bptt', 16, 'sgd')],
  [2, cfg(0.03, 'rtrl', 64, 'adam')],
  [3, cfg(0.01, 'rtrl', 48, 'adam')],
]);
const paths = Object.keys(params.get(1)!);
const ids = (search: string) => filterRuns(runs, { search, status: '', tag: '' }, params).map((r) => r.id);

describe('search by config', () => {
  it('matches the examples of the help: lr=0.01, method:bptt, hidden>32, optimizer:adam', () => {
    expect(ids('lr=0.01')).toEqual([1, 3]);
    expect(ids('method:bptt')).toEqual([1]);
    expect(ids('hidden>32')).toEqual([2, 3]);
    expect(ids('optimizer:adam')).toEqual([2, 3]);
    expect(ids('optimizer:adam hidden<=48')).toEqual([3]);
    expect(ids('training.lr!=0.01')).toEqual([2]);
    expect(ids('d>=64')).toEqual([2]);
    expect(ids('lr=1e-2')).toEqual([1, 3]);
  });

  it('still matches plain words against names, notes and tags, and summary fields by name', () => {
    expect(ids('wide')).toEqual([2, 3]);
    expect(ids('first')).toEqual([1]);
    expect(ids('"sweep 1"')).toEqual([3]);
    expect(ids('adam')).toEqual([3]);
    expect(ids('status:failed')).toEqual([2]);
    expect(ids('tag:keep')).toEqual([1]);
    expect(ids('wide method:rtrl lr=0.03')).toEqual([2]);
  });

  it('resolves a field by its path, its last part or the part before .kind, and refuses ambiguous ones', () => {
    expect(resolveField('lr', paths)).toEqual({ field: 'training.lr' });
    expect(resolveField('method', paths)).toEqual({ field: 'method.kind' });
    expect(resolveField('optimizer', paths)).toEqual({ field: 'training.optimizer.kind' });
    expect(resolveField('T', paths)).toEqual({ field: 'task.T' });
    expect(resolveField('kind', paths)).toMatchObject({ error: expect.stringContaining('could be task.kind, ') });
  });

  it('reports every term it cannot read, and filters by the rest', () => {
    const s = parseSearch('lr>abc speed=3 =5 hidden= wide hidden>32', paths);
    expect(s.errors).toEqual([
      'lr>abc: > needs a number, not “abc”',
      'speed=3: no field “speed” (fields are config paths such as training.lr, or name, notes, tag, status, health)',
      '=5: a field name must come before =',
      'hidden=: a value must follow =',
    ]);
    expect(s.words).toEqual(['wide']);
    expect(s.conditions.map((c) => c.term)).toEqual(['hidden>32']);
    expect(ids('lr>abc wide hidden>50')).toEqual([2]);
  });
});
