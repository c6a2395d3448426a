import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../../native-worker/tasks/csv-table';
import { expectTaskError } from './helpers';

const bad = (csv: string, message: string | RegExp) => expectTaskError(() => readCsvTable(csv), 'task.csv', message);

describe('CSV table', () => {
  it('takes a first row with no numbers as the header', () => {
    const table = readCsvTable('time;temp\n1;20.5\n2;21\n');
    expect(table.hasHeader).toBe(true);
    expect(table.columns).toEqual(['time', 'temp']);
    expect([table.rows, table.cols]).toEqual([2, 2]);
    expect(Array.from(table.values)).toEqual([1, 20.5, 2, 21]);
  });

  it('names the columns by number when there is no header', () => {
    const table = readCsvTable('1\t2\n3\t4');
    expect(table.hasHeader).toBe(false);
    expect(table.columns).toEqual(['column 1', 'column 2']);
    expect(Array.from(table.values)).toEqual([1, 2, 3, 4]);
  });

  it('reads decimal numbers in their usual spellings, quoted or padded', () => {
    const table = readCsvTable('x\n+1\n-.5\n1.\n1e3\n-2.5E-2\n " 7 "\n  8  \n"9"\n');
    expect(Array.from(table.values)).toEqual([1, -0.5, 1, 1000, -0.025, 7, 8, 9]);
  });

  it('accepts a byte-order mark, CRLF line ends and blank trailing lines', () => {
    const table = readCsvTable('\ufeffa,b\r\n1,2\r\n3,4\r\n\r\n   \r\n\n');
    expect(table.columns).toEqual(['a', 'b']);
    expect(Array.from(table.values)).toEqual([1, 2, 3, 4]);
  });

  it('rejects an empty file, a header without data and blank lines before the end', () => {
    bad('', 'the file is empty; it needs one column per channel and one row per time step');
    bad('\n \r\n\n', 'the file is empty; it needs one column per channel and one row per time step');
    bad('a,b\n', 'the file has a header row (line 1) but no data rows');
    bad('a,b\n1,2\n\n3,4\n', 'line 3 is blank; blank lines are allowed only at the end of the file');
    bad('\na,b\n1,2\n', 'line 1 is blank; blank lines are allowed only at the end of the file');
  });

  it('rejects ragged rows, naming the line', () => {
    bad('a,b,c\n1,2,3\n4,5\n', 'line 3 has 2 columns, but the header (line 1) has 3; every row needs the same number of columns');
    bad('1,2\n3,4\n5,6,7\n', 'line 3 has 3 columns, but line 1 has 2; every row needs the same number of columns');
    bad('a,b\n1,2\n3\n', 'line 3 has 1 column, but the header (line 1) has 2; every row needs the same number of columns');
  });

  it('names line, column and column name of every bad cell', () => {
    const head = 'time,humidity,temp\n';
    bad(`${head}1,2,3\n4,5,abc\n`, 'line 3, column 3 ("temp"): "abc" is not a number');
    bad(`${head}1,,3\n`, 'line 2, column 2 ("humidity"): the cell is empty');
    bad(`${head}1,NaN,3\n`, 'line 2, column 2 ("humidity"): "NaN" is not a finite number');
    bad(`${head}1,2,Infinity\n`, 'line 2, column 3 ("temp"): "Infinity" is not a finite number');
    bad(`${head}-inf,2,3\n`, 'line 2, column 1 ("time"): "-inf" is not a finite number');
    bad(`${head}1,1e999,3\n`, 'line 2, column 2 ("humidity"): "1e999" is not a finite number (too large)');
    bad(`${head}0x10,2,3\n`, 'line 2, column 1 ("time"): "0x10" is not a number');
    bad('1;2\n3;4,5\n', 'line 2, column 2: "4,5" is not a number (write the decimal mark as ".")');
    bad(`${head}1,2,${'9'.repeat(50)}x\n`, `line 2, column 3 ("temp"): "${'9'.repeat(40)}…" is not a number`);
  });

  it('counts lines across quoted line breaks and names unnamed columns by number', () => {
    bad('"multi\nline",\n1,2\n3,x\n', 'line 4, column 2: "x" is not a number');
  });

  it('explains why a first row with a number is not a header', () => {
    bad(
      'time,20\n1,2\n',
      'line 1, column 1: "time" is not a number (a first row is read as a header only when none of its cells is a number)',
    );
  });
});
