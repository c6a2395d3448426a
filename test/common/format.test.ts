// Durations as the CLI and the app print them: no unit ever shows the
// value that should have carried into the next one.

import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate } from '../../common/format';

describe('formatDuration', () => {
  it('carries rounding into the next unit', () => {
    expect(formatDuration(999.4)).toBe('999 ms');
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(9_960)).toBe('10 s');
    expect(formatDuration(59_700)).toBe('1 min 0 s');
    expect(formatDuration(119_600)).toBe('2 min 0 s');
    expect(formatDuration(3_599_700)).toBe('1 h 0 min');
  });

  it('reads as before away from the cut-offs', () => {
    expect(formatDuration(0.5)).toBe('500 µs');
    expect(formatDuration(42)).toBe('42 ms');
    expect(formatDuration(4_250)).toBe('4.3 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('formatRate', () => {
  it('reads in three significant digits with a prefix', () => {
    expect(formatRate(152_345)).toBe('152 k');
    expect(formatRate(776_000)).toBe('776 k');
    expect(formatRate(2e6)).toBe('2 M');
    expect(formatRate(1_523_456)).toBe('1.52 M');
    expect(formatRate(999_600)).toBe('1 M');
    expect(formatRate(999.4)).toBe('999');
    expect(formatRate(12_345)).toBe('12.3 k');
    expect(formatRate(9.46)).toBe('9.46');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(Number.NaN)).toBe('—');
    expect(formatRate(null)).toBe('—');
  });
});
