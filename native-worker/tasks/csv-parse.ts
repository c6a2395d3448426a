// CSV text → records of raw cells (RFC 4180 and the usual variations):
// comma, semicolon or tab separators; fields in double quotes, with "" for
// a quote inside and line breaks allowed; LF, CRLF or CR line ends. Each
// record remembers the line it starts on, for error messages.

import { TaskError } from './task';

export const CSV_FIELD = 'task.csv';

export type Separator = ',' | ';' | '\t';

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

/** How many records the separator detection reads. */
const SAMPLE_RECORDS = 20;

export function isBlankRecord(record: CsvRecord): boolean {
  return record.cells.length === 1 && record.cells[0].trim() === '';
}

/** Parse up to `limit` records. Space before an opening quote and after a closing one is ignored. */
export function parseCsv(text: string, sep: Separator, limit = Infinity): CsvRecord[] {
  const records: CsvRecord[] = [];
  const len = text.length;
  const isSpace = (c: string): boolean => c === ' ' || (c === '\t' && sep !== '\t');
  let line = 1;
  let i = 0;
  while (i < len && records.length < limit) {
    const recordLine = line;
    const cells: string[] = [];
    for (;;) {
      let k = i;
      while (k < len && isSpace(text[k])) k++;
      if (text[k] === '"') {
        const openLine = line;
        let value = '';
        let j = k + 1;
        let from = j;
        for (;;) {
          if (j >= len) {
            throw new TaskError(
              CSV_FIELD,
              `line ${openLine}, column ${cells.length + 1}: the quoted field never ends (a closing " is missing)`,
            );
          }
          const c = text[j];
          if (c === '"') {
            value += text.slice(from, j);
            if (text[j + 1] === '"') {
              value += '"';
              j += 2;
              from = j;
              continue;
            }
            j++;
            break;
          }
          if (c === '\n' || (c === '\r' && text[j + 1] !== '\n')) line++;
          j++;
        }
        while (j < len && isSpace(text[j])) j++;
        if (j < len && text[j] !== sep && text[j] !== '\n' && text[j] !== '\r') {
          throw new TaskError(
            CSV_FIELD,
            `line ${line}, column ${cells.length + 1}: unexpected ${JSON.stringify(text[j])} after a closing quote ` +
              '(a quote inside a quoted field is written "")',
          );
        }
        cells.push(value);
        i = j;
      } else {
        let j = i;
        while (j < len && text[j] !== sep && text[j] !== '\n' && text[j] !== '\r') j++;
        cells.push(text.slice(i, j));
        i = j;
      }
      if (i < len && text[i] === sep) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') {
      i++;
      if (text[i] === '\n') i++;
      line++;
    } else if (text[i] === '\n') {
      i++;
      line++;
    }
    records.push({ line: recordLine, cells });
  }
  return records;
}

const QUOTE = 34,
  LF = 10,
  CR = 13,
  SPACE = 32,
  TAB = 9;

/** What String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator), by code. */
function isWhiteSpace(c: number): boolean {
  if (c <= SPACE) return c === SPACE || (c >= TAB && c <= CR);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * How many records parseCsv would return once the blank records at the end
 * are dropped, found by the same rules without making a string: one pass
 * over the character codes (for sizes, where parsing a large file would
 * cost too much). Text after a closing quote counts as part of its field;
 * parseCsv refuses it.
 */
export function countCsvRecords(text: string, sep: Separator): number {
  if (text.indexOf('"') === -1 && text.indexOf('\r') === -1) return countLines(text);
  const len = text.length;
  const s = sep.charCodeAt(0);
  const space = (c: number): boolean => c === SPACE || (c === TAB && s !== TAB);
  let i = 0,
    records = 0,
    lastFilled = 0;
  while (i < len) {
    let cells = 0,
      filled = false;
    for (;;) {
      cells++;
      let k = i;
      while (k < len && space(text.charCodeAt(k))) k++;
      if (k < len && text.charCodeAt(k) === QUOTE) {
        filled = true;
        let j = k + 1;
        for (; j < len; j++) {
          if (text.charCodeAt(j) !== QUOTE) continue;
          if (text.charCodeAt(j + 1) !== QUOTE) break;
          j++;
        }
        i = j + 1;
      }
      for (; i < len; i++) {
        const c = text.charCodeAt(i);
        if (c === s || c === LF || c === CR) break;
        if (!filled && !isWhiteSpace(c)) filled = true;
      }
      if (i < len && text.charCodeAt(i) === s) {
        i++;
        continue;
      }
      break;
    }
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    records++;
    if (filled || cells > 1) lastFilled = records;
  }
  return lastFilled;
}

/** countCsvRecords for a text without quotes or CR: its lines up to the last one that is not blank, found by indexOf (memchr). */
function countLines(text: string): number {
  let end = text.length;
  while (end > 0 && isWhiteSpace(text.charCodeAt(end - 1))) end--;
  if (end === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/**
 * The separator of a CSV text: the first of tab, semicolon and comma that
 * splits the first records into the same number (≥ 2) of columns. Tab and
 * semicolon come first because their files may use commas as decimal marks.
 * When none is consistent, the one giving the first record the most columns
 * (so that parsing reports the ragged line); a single column reads as comma.
 */
export function detectSeparator(text: string): Separator {
  let best: Separator = ',';
  let bestWidth = 1;
  for (const sep of ['\t', ';', ','] as const) {
    let sample: CsvRecord[];
    try {
      sample = parseCsv(text, sep, SAMPLE_RECORDS).filter((r) => !isBlankRecord(r));
    } catch (err) {
      if (err instanceof TaskError) continue;
      throw err;
    }
    if (sample.length === 0) continue;
    const width = sample[0].cells.length;
    if (width >= 2 && sample.every((r) => r.cells.length === width)) return sep;
    if (width > bestWidth) {
      best = sep;
      bestWidth = width;
    }
  }
  return best;
}
