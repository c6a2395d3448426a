// taskSizes gives what createTask would, without building the task: the
// same m, n, T and held-out count for every kind, and the same errors for
// bad settings (a CSV's cells are only read when the task is built).

import { describe, expect, it } from 'vitest';
import type { TaskConfig } from '../../../common/contract';
import { createTask } from '../../../native-worker/tasks';
import { taskSizes } from '../../../native-worker/tasks/sizes';
import { countCsvRecords, detectSeparator, parseCsv, isBlankRecord } from '../../../native-worker/tasks/csv-parse';

const rows = (n: number, sep = ',', eol = '\n') => Array.from({ length: n }, (_, i) => `${i}${sep}${(i * 0.25).toFixed(2)}`).join(eol);

const configs: TaskConfig[] = [
  { kind: 'sine', channels: 3, T: 17, validationSequences: 5 },
  { kind: 'copy', symbols: 4, length: 3, delay: 7, validationSequences: 6 },
  { kind: 'adding', T: 30, validationSequences: 3 },
  { kind: 'text', text: null, T: 25, validationFraction: 0.1 },
  { kind: 'text', text: 'héllo 🙂 wörld, '.repeat(30), T: 9, validationFraction: 0.2 },
  { kind: 'csv', csv: `a,b\n${rows(60)}\n`, T: 5, validationFraction: 0.2, normalize: 'zscore' },
  { kind: 'csv', csv: `\ufeff${rows(60, ';', '\r\n')}\r\n\r\n  \n`, T: 5, validationFraction: 0.25, normalize: 'none' },
  { kind: 'csv', csv: `"first\ncolumn"\t"say ""b"""\n${rows(50, '\t', '\r')}`, T: 4, validationFraction: 0.3, normalize: 'minmax' },
];

describe('taskSizes', () => {
  for (const config of configs) {
    it(`${config.kind}: the sizes of the task createTask builds`, () => {
      const task = createTask(config, 3);
      expect(taskSizes(config)).toMatchObject({
        m: task.m,
        n: task.n,
        T: task.T,
        masked: task.masked,
        validationSequences: task.validation.length,
      });
    });
  }

  it('fails like createTask on bad settings', () => {
    const bad: TaskConfig[] = [
      { kind: 'sine', channels: 0, T: 5, validationSequences: 1 },
      { kind: 'copy', symbols: 2, length: 1, delay: 0, validationSequences: 2 },
      { kind: 'text', text: 'aaaa', T: 2, validationFraction: 0.1 },
      { kind: 'text', text: 'ab'.repeat(5), T: 10, validationFraction: 0.2 },
      { kind: 'text', text: null, T: 5000, validationFraction: 0.1 },
      { kind: 'csv', csv: `a,b\n${rows(20)}\n`, T: 8, validationFraction: 0.2, normalize: 'zscore' },
      { kind: 'csv', csv: rows(40), T: 5, validationFraction: 0.2, normalize: 'robust' as 'none' },
    ];
    for (const config of bad) {
      expect(() => createTask(config, 1)).toThrow();
      let built = '';
      try {
        createTask(config, 1);
      } catch (e) {
        built = (e as Error).message;
      }
      expect(() => taskSizes(config)).toThrow(built);
    }
  });

  it('counts the records parseCsv reads, trailing blank ones dropped', () => {
    const texts = [
      'a,b\n1,2\n3,4',
      'a,b\r\n1,2\r\n\r\n',
      '"x\ny",1\n"q""",2\n  \n\n',
      'x\n\n\n',
      '',
      '1;2\r3;4\r',
      'a,"b\n\nc"\n,\n',
      'a;b\n1;2\n  \n\t\n',
      '\n\n1,2\n',
    ];
    for (const text of texts) {
      const sep = detectSeparator(text);
      const records = parseCsv(text, sep);
      while (records.length > 0 && isBlankRecord(records[records.length - 1])) records.pop();
      expect({ text, count: countCsvRecords(text, sep) }).toEqual({ text, count: records.length });
    }
  });
});
