// `train` in a real pseudo-terminal (util-linux `script`): the progress is
// one line redrawn in place, never wider than the terminal (a wrapped line
// is redrawn below itself and floods the screen); into a pipe it is a line
// every tenth of the run.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDatabase } from '../../support/workbench';

const bin = fileURLToPath(new URL('../../../bin/rnn-workbench.js', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;
const TRAIN = ['train', '--task', 'adding', '--T', '6', '--hidden', '4', '--method', 'bptt', '--steps', '3000', '--eval-every', '100'];

const ESC = '\x1b';

/** The screen a terminal of `columns` shows after `bytes`: carriage return, erase line, line feed, auto-wrap. */
function screen(bytes: string, columns: number): { lines: string[]; wrapped: number } {
  const lines: string[][] = [[]];
  let row = 0,
    col = 0,
    wrapped = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === '\r') col = 0;
    else if (c === '\n') {
      row++;
      lines[row] ??= [];
    } else if (c === ESC) {
      const m = new RegExp(`^${ESC}\\[(\\d*)K`).exec(bytes.slice(i));
      if (!m) throw new Error(`an escape the test does not know: ${JSON.stringify(bytes.slice(i, i + 8))}`);
      if (m[1] === '2') lines[row] = [];
      i += m[0].length - 1;
    } else {
      if (col === columns) {
        wrapped++;
        row++;
        col = 0;
        lines[row] ??= [];
      }
      lines[row][col++] = c;
    }
  }
  return { lines: lines.map((l) => Array.from(l, (c) => c ?? ' ').join('')), wrapped };
}

describe.skipIf(!hasScript)('train in a terminal', () => {
  for (const columns of [80, 40]) {
    it(`holds one progress line in ${columns} columns`, () => {
      const db = tempDatabase();
      const command = [process.execPath, bin, ...TRAIN, '--db', db].map((a) => `'${a}'`).join(' ');
      const r = spawnSync('script', ['-qfec', `stty cols ${columns} rows 24; ${command}`, '/dev/null'], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const redraws = r.stdout.split('\r\x1b[2K').length - 1;
      expect(redraws, 'the line was redrawn as the run went').toBeGreaterThan(1);
      const { lines, wrapped } = screen(r.stdout, columns);
      const progress = lines.filter((l) => l.startsWith('step '));
      expect(progress, lines.join('\n')).toHaveLength(1);
      expect(progress[0]).toMatch(/^step 3000\/3000 /);
      expect(lines.filter((l) => l.startsWith('run 1 completed at step 3000'))).toHaveLength(1);
      if (columns === 80) expect(wrapped, lines.join('\n')).toBe(0);
      else for (const l of progress) expect([...l].length).toBeLessThan(columns);
    });
  }

  it('prints a line every tenth of the run when the output is not a terminal', () => {
    const r = spawnSync(process.execPath, [bin, ...TRAIN, '--db', tempDatabase()], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\r');
    const progress = r.stdout.split('\n').filter((l) => l.startsWith('step '));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(11);
    for (const l of progress) expect(l).toMatch(/^step \d+\/3000 {2}loss \S+ {2}val \S+ {2}(healthy|⚠ [a-z-]+)$/);
  });
});
