import { describe, expect, it } from 'vitest';
import { detectSeparator, parseCsv } from '../../../native-worker/tasks/csv-parse';
import { expectTaskError } from './helpers';

const cells = (text: string, sep: ',' | ';' | '\t') => parseCsv(text, sep).map((r) => r.cells);

describe('CSV parsing', () => {
  it('splits records on LF, CRLF and CR, without an empty record after the final line end', () => {
    expect(cells('a,b\n1,2\n', ',')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(cells('a,b\r\n1,2\r\n3,4', ',')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(cells('a,b\r1,2\r', ',')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a\r\nb\rc\nd', ',').map((r) => r.line)).toEqual([1, 2, 3, 4]);
  });

  it('keeps empty fields and blank lines as records', () => {
    expect(cells('1,,3\n\n,\n', ',')).toEqual([['1', '', '3'], [''], ['', '']]);
  });

  it('reads quoted fields: separators, doubled quotes and line breaks inside, spaces around', () => {
    expect(cells('"a,b","say ""hi""",  "x" ,3\n', ',')).toEqual([['a,b', 'say "hi"', 'x', '3']]);
    const records = parseCsv('"first\nname";"second\r\nname"\n1;2\n', ';');
    expect(records.map((r) => r.cells)).toEqual([
      ['first\nname', 'second\r\nname'],
      ['1', '2'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 4]);
    expect(cells('""\n', ',')).toEqual([['']]);
  });

  it('treats a quote inside an unquoted field as an ordinary character', () => {
    expect(cells('12"3,4\n', ',')).toEqual([['12"3', '4']]);
  });

  it('reports an unterminated quote at the line and column where it opened', () => {
    expectTaskError(
      () => parseCsv('a,b\n1,"2\n3,4\n', ','),
      'task.csv',
      'line 2, column 2: the quoted field never ends (a closing " is missing)',
    );
  });

  it('reports text after a closing quote', () => {
    expectTaskError(
      () => parseCsv('a,b\n1,"2"x\n', ','),
      'task.csv',
      'line 2, column 2: unexpected "x" after a closing quote (a quote inside a quoted field is written "")',
    );
  });

  it('stops after a given number of records', () => {
    expect(parseCsv('1\n2\n3\n', ',', 2)).toHaveLength(2);
  });
});

describe('separator detection', () => {
  it('recognises comma, semicolon and tab files', () => {
    expect(detectSeparator('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectSeparator('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectSeparator('a\tb\n1\t2\n')).toBe('\t');
  });

  it('prefers semicolon over comma when both split consistently (decimal commas)', () => {
    expect(detectSeparator('1,5;2,25\n1,6;2,5\n')).toBe(';');
  });

  it('ignores separators inside quotes and separators that split rows inconsistently', () => {
    expect(detectSeparator('"a;b","c;d"\n1,2\n')).toBe(',');
    expect(detectSeparator('temp;C,rain\n1,2\n3,4\n')).toBe(',');
    expect(detectSeparator('"x\ty",z\n1,2\n')).toBe(',');
  });

  it('reads a single column as comma-separated and a ragged file by its widest first row', () => {
    expect(detectSeparator('1.5\n2.5\n')).toBe(',');
    expect(detectSeparator('a;b;c\n1;2\n')).toBe(';');
  });
});
