// How the CLI answers help and mistakes: help made from the commands table
// (every value list from common/values.ts), one line naming a bad flag or
// command with the nearest real one, negative numbers reaching the schema.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, DTYPES, LOSS_KINDS, METHOD_KINDS, OPTIMIZER_KINDS, TASK_KINDS, WEIGHT_FORMATS } from '../../../common/values';
import { editDistance, nearest, parseFlags, type Flag } from '../../../main/cli/args';
import { COMMANDS } from '../../../main/cli/commands';
import { cli } from '../../support/cli';
import { tempDatabase } from '../../support/workbench';

describe('help', () => {
  it('--help lists every command and every value list, rtrl-fast included', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toMatch(new RegExp(`^  ${c.name}( |$)`, 'm'));
    for (const list of [TASK_KINDS, METHOD_KINDS, ACTIVATIONS, LOSS_KINDS, OPTIMIZER_KINDS, DTYPES])
      expect(r.out).toContain(list.join('|'));
    expect(r.out).toContain('rtrl-fast');
    expect(r.out).toContain(WEIGHT_FORMATS.join(', '));
    for (const line of r.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('each command has its own help: usage, every flag with its description, examples', async () => {
    for (const c of COMMANDS) {
      for (const args of [
        [c.name, '--help'],
        ['help', c.name],
        [c.name, '-h'],
      ]) {
        const r = await cli(...args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.out).toMatch(new RegExp(`^Usage: rnn-workbench ${c.name}`, 'm'));
        for (const f of c.flags) expect(r.out).toContain(`--${f.name}`);
        expect(r.out).toMatch(/^Examples:\n {2}rnn-workbench|^Examples:\n {2}npm run build/m);
        expect(r.out, 'not the general help').not.toContain('Commands:');
      }
    }
    const imp = await cli('import', '--help');
    expect(imp.out).toMatch(/--start\s+start training the imported weights/);
    const resume = await cli('resume', '--help');
    expect(resume.out).toMatch(/--steps N\s+the run's new total number of steps \(not steps added\)/);
  });

  it('the examples in the help use only flags their command has', () => {
    for (const c of COMMANDS)
      for (const e of c.examples) {
        const args = e.command
          .replace(/^npm run build && /, '')
          .split(' ')
          .slice(2);
        expect(() => parseFlags(c.name, args, c.flags), e.command).not.toThrow();
      }
  });
});

describe('mistakes', () => {
  it('an unknown flag: one line naming it with the nearest flag, then the usage line; exit 2, nothing opened', async () => {
    const db = tempDatabase();
    const cases: [string[], string][] = [
      [['train', '--lrr', '0.1'], 'train: unknown flag --lrr; did you mean --lr?'],
      [['train', '--hiden', '8'], 'train: unknown flag --hiden; did you mean --hidden?'],
      [['train', '--optimiser', 'sgd'], 'train: unknown flag --optimiser; did you mean --optimizer?'],
      [['fork', '1', '--att', '5'], 'fork: unknown flag --att; did you mean --at?'],
      [['list', '--at', '3'], 'list: unknown flag --at (it is a flag of `fork`, `inspect`, `sample`, `predict`)'],
      [['export', '1', '-x'], 'export: unknown flag -x'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args, '--db', db);
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.err.trimEnd().split('\n');
      expect(lines[0]).toBe(message);
      expect(lines[1]).toMatch(new RegExp(`^usage: rnn-workbench ${args[0]}`));
      expect(lines).toHaveLength(2);
      expect(r.out).toBe('');
    }
    expect(existsSync(db)).toBe(false);
  });

  it('an unknown command: did you mean, and the general usage line', async () => {
    const r = await cli('trian', '--steps', '5');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'unknown command "trian"; did you mean train?\nusage: rnn-workbench <command> [flags]   (`rnn-workbench --help`: the commands)\n',
    );
    expect((await cli('frobnicate')).err).toMatch(/^unknown command "frobnicate"\n/);
  });

  it('a flag without its value says so, and how to give a value starting with a dash', async () => {
    expect((await cli('train', '--lr')).err).toMatch(/^train: --lr X needs a value\n/);
    expect((await cli('train', '--name', '--json')).err).toMatch(
      /^train: --name NAME needs a value \(a value starting with "-" is written --name=--json\)/,
    );
    expect((await cli('list', '--json=yes')).err).toMatch(/^list: --json takes no value/);
  });

  it('negative numbers parse, and the config schema refuses them naming the field', async () => {
    const db = tempDatabase();
    const cases: [string[], RegExp][] = [
      [['--lr', '-1'], /^error: training\.lr: must be greater than 0\n$/],
      [['--lr=-0.5'], /^error: training\.lr: must be greater than 0\n$/],
      [['--hidden', '-3'], /^error: model\.hidden: must be at least 1\n$/],
      [['--seed', '-.5'], /^error: seed: must be a whole number/],
    ];
    for (const [flags, message] of cases) {
      const r = await cli('train', ...flags, '--db', db);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err, flags.join(' ')).toMatch(message);
    }
  });

  it('--task csv without --data names the flag it needs', async () => {
    const r = await cli('train', '--task', 'csv', '--db', tempDatabase());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --task csv needs --data FILE\.csv/);
  });

  it('the parser: flags anywhere, --flag=value, short flags, -- ends the flags', () => {
    const flags: Flag[] = [
      { name: 'hidden', short: 'd', type: 'string', description: '' },
      { name: 'json', type: 'boolean', description: '' },
    ];
    expect(parseFlags('x', ['-d', '8', 'a', '--json', '--', '--hidden'], flags)).toEqual({
      values: { hidden: '8', json: true },
      positionals: ['a', '--hidden'],
    });
    expect(parseFlags('x', ['--hidden=-2', '-7'], flags)).toEqual({ values: { hidden: '-2' }, positionals: ['-7'] });
  });

  it('edit distance counts a swap of neighbours as one edit; nearest ignores the far ones', () => {
    expect(editDistance('trian', 'train')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('--lrr', ['--lr', '--steps'])).toBe('--lr');
    expect(nearest('--hid', ['--hidden', '--T'])).toBe('--hidden');
    expect(nearest('--xyzzy', ['--lr', '--steps'])).toBeNull();
  });
});
