// CSV records → a numeric table, one column per channel and one row per
// time step. The first row is a header when none of its cells is a number.
// Every cell must hold a finite decimal number; each bad cell, ragged row,
// blank line in the middle or empty file is reported with its line (and
// column, with the column's name when there is a header).

import { countCsvRecords, CSV_FIELD, detectSeparator, isBlankRecord, parseCsv, type CsvRecord } from './csv-parse';
import { TaskError } from './task';

export interface CsvTable {
  /** Column names: the header's cells, or "column 1", "column 2", … without a header. */
  columns: string[];
  hasHeader: boolean;
  rows: number;
  cols: number;
  /** rows × cols values, row-major. */
  values: Float64Array;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const QUOTE_LIMIT = 40;

/** The number in a cell, or the reason it is not one. */
function readCell(raw: string): number | string {
  const cell = raw.trim();
  if (cell === '') return 'the cell is empty';
  const shown = JSON.stringify(cell.length > QUOTE_LIMIT ? `${cell.slice(0, QUOTE_LIMIT)}…` : cell);
  if (NON_FINITE.test(cell)) return `${shown} is not a finite number`;
  if (DECIMAL.test(cell)) {
    const value = Number(cell);
    return Number.isFinite(value) ? value : `${shown} is not a finite number (too large)`;
  }
  if (DECIMAL_COMMA.test(cell)) return `${shown} is not a number (write the decimal mark as ".")`;
  return `${shown} is not a number`;
}

/** The CSV's text without a byte-order mark. */
function csvText(csv: unknown): string {
  if (typeof csv !== 'string') throw new TaskError(CSV_FIELD, "must be the CSV file's text");
  return csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
}

/** True when none of the first row's cells is a number. */
function isHeader(cells: readonly string[]): boolean {
  return cells.every((c) => typeof readCell(c) === 'string');
}

/**
 * The table's data rows and columns without reading its cells: the first
 * record and a count of the records (readCsvTable's figures for a valid
 * file; its errors are found when the task is built).
 */
export function csvShape(csv: string): { rows: number; cols: number } {
  const text = csvText(csv);
  const sep = detectSeparator(text);
  const [first] = parseCsv(text, sep, 1);
  if (first === undefined) return { rows: 0, cols: 0 };
  return { rows: Math.max(0, countCsvRecords(text, sep) - (isHeader(first.cells) ? 1 : 0)), cols: first.cells.length };
}

export function readCsvTable(csv: string): CsvTable {
  const text = csvText(csv);
  const records = parseCsv(text, detectSeparator(text));
  while (records.length > 0 && isBlankRecord(records[records.length - 1])) records.pop();
  if (records.length === 0) {
    throw new TaskError(CSV_FIELD, 'the file is empty; it needs one column per channel and one row per time step');
  }
  const blank = records.find(isBlankRecord);
  if (blank !== undefined) {
    throw new TaskError(CSV_FIELD, `line ${blank.line} is blank; blank lines are allowed only at the end of the file`);
  }

  const first = records[0];
  const cols = first.cells.length;
  const hasHeader = isHeader(first.cells);
  const columns = hasHeader ? first.cells.map((c) => c.trim()) : first.cells.map((_, j) => `column ${j + 1}`);
  const data: CsvRecord[] = hasHeader ? records.slice(1) : records;
  if (data.length === 0) {
    throw new TaskError(CSV_FIELD, `the file has a header row (line ${first.line}) but no data rows`);
  }

  const values = new Float64Array(data.length * cols);
  for (let r = 0; r < data.length; r++) {
    const { line, cells } = data[r];
    if (cells.length !== cols) {
      throw new TaskError(
        CSV_FIELD,
        `line ${line} has ${cells.length} ${cells.length === 1 ? 'column' : 'columns'}, but ` +
          `${hasHeader ? `the header (line ${first.line})` : `line ${first.line}`} has ${cols}; every row needs the same number of columns`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const value = readCell(cells[j]);
      if (typeof value === 'string') {
        const name = hasHeader && columns[j] !== '' ? ` (${JSON.stringify(columns[j])})` : '';
        const hint = !hasHeader && r === 0 ? ' (a first row is read as a header only when none of its cells is a number)' : '';
        throw new TaskError(CSV_FIELD, `line ${line}, column ${j + 1}${name}: ${value}${hint}`);
      }
      values[r * cols + j] = value;
    }
  }
  return { columns, hasHeader, rows: data.length, cols, values };
}
