// A time series from CSV text: each column a channel, each row a time step,
// next-step prediction with m = n = columns. The last `validationFraction`
// of the rows is held out; the columns are normalised with statistics of the
// training rows only (normalize.ts); training windows run consecutively and
// cycle (windows.ts).

import type { TaskConfig } from '../../common/contract';
import { CSV_NORMALIZATIONS } from '../../common/values';
import { openFraction, wholeNumber } from './checks';
import { CSV_FIELD } from './csv-parse';
import { csvShape, readCsvTable } from './csv-table';
import { columnStatistics, normalizeColumns } from './normalize';
import { TaskError, type Sequence, type Task, type TaskSizes } from './task';
import { MIN_TRAIN_WINDOWS, minimumSeriesLength, type Split, splitSeries, WindowTask } from './windows';

type CsvConfig = Extract<TaskConfig, { kind: 'csv' }>;

function csvSettings(config: CsvConfig): { T: number; fraction: number } {
  const T = wholeNumber(config.T, 'task.T', 1);
  const fraction = openFraction(config.validationFraction, 'task.validationFraction');
  if (!CSV_NORMALIZATIONS.includes(config.normalize)) {
    throw new TaskError(
      'task.normalize',
      `must be one of ${CSV_NORMALIZATIONS.map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(config.normalize)})`,
    );
  }
  return { T, fraction };
}

function csvSplit(rows: number, T: number, fraction: number): Split {
  const split = splitSeries(rows, T, fraction);
  if (split !== null) return split;
  const need = minimumSeriesLength(T, fraction);
  throw new TaskError(
    CSV_FIELD,
    `${rows} data ${rows === 1 ? 'row is' : 'rows are'} too few for T = ${T} with validationFraction = ${fraction}: ` +
      `at least ${need} are needed (${MIN_TRAIN_WINDOWS} training windows of T rows and one held-out window of T + 1)`,
  );
}

/** The sizes from the settings, the first record and a count of the rows; the cells are read when the task is built. */
export function csvSizes(config: CsvConfig): TaskSizes {
  const { T, fraction } = csvSettings(config);
  const { rows, cols } = csvShape(config.csv);
  const split = csvSplit(rows, T, fraction);
  // the parsed values and their normalised copy
  return { m: cols, n: cols, T, masked: false, validationSequences: split.validationWindows, dataBytes: 16 * rows * cols };
}

export class CsvTask extends WindowTask implements Task {
  readonly kind = 'csv';
  readonly m: number;
  readonly n: number;
  readonly T: number;
  readonly targets = 'real';
  readonly masked = false;
  readonly vocabulary = null;
  readonly validation: readonly Sequence[];
  /** The channels' names: the header's cells, or "column 1", "column 2", … */
  readonly columns: readonly string[];
  /** Normalised value = (raw − offset[j]) / scale[j], per column j. */
  readonly offset: Float64Array;
  readonly scale: Float64Array;
  /** Normalised rows × columns, row-major. */
  private readonly values: Float64Array;
  protected readonly split: Split;

  constructor(config: CsvConfig) {
    super();
    const { T, fraction } = csvSettings(config);
    this.T = T;
    const table = readCsvTable(config.csv);
    const split = csvSplit(table.rows, T, fraction);
    this.split = split;
    this.columns = table.columns;
    this.m = table.cols;
    this.n = table.cols;

    const stats = columnStatistics(table.values, table.cols, split.trainLength, config.normalize);
    this.offset = stats.offset;
    this.scale = stats.scale;
    this.values = normalizeColumns(table.values, table.cols, stats);
    for (let i = 0; i < this.values.length; i++) {
      if (!Number.isFinite(this.values[i])) {
        const j = i % table.cols;
        const name = table.hasHeader && table.columns[j] !== '' ? ` (${JSON.stringify(table.columns[j])})` : '';
        throw new TaskError(
          CSV_FIELD,
          `column ${j + 1}${name}: the values are too large to normalise; rescale the column or choose normalize "none"`,
        );
      }
    }

    this.validation = this.heldOutSequences();
  }

  /** Inputs: rows start .. start+T−1; targets: the row after each. */
  protected write(start: number, out: Sequence): void {
    const { T, m, values } = this;
    const { x, y } = out;
    for (let t = 0; t < T; t++) {
      const row = (start + t) * m;
      for (let j = 0; j < m; j++) {
        x[t * m + j] = values[row + j];
        y[t * m + j] = values[row + m + j];
      }
    }
  }
}
