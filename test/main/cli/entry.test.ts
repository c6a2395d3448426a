// The CLI launcher runs its build only when it is up to date with the
// sources (bin/entry.js), so a checkout with an old build never runs old
// code; a checkout without a build (or with an old one) gets one made by
// the launcher itself, and the CLI, `--version` and the training worker
// then run from out/cli/ without tsx.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEntry } from '../../../bin/entry.js';

function packageWith(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'wb-entry-'));
  for (const [file, seconds] of Object.entries(files)) {
    const path = join(root, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
    utimesSync(path, seconds, seconds);
  }
  return root;
}

const repo = resolve(__dirname, '../../..');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the CLI launcher', () => {
  it('runs the build when no source is newer, else the sources', () => {
    const fresh = packageWith({ 'out/cli/cli.js': 2000, 'main/cli/index.ts': 1000, 'native-worker/engine/native/kernels.c': 1500 });
    expect(cliEntry(fresh)).toEqual({ built: true, path: join(fresh, 'out/cli/cli.js'), version: join(fresh, 'out/cli/version.js') });
    const stale = packageWith({ 'out/cli/cli.js': 2000, 'main/cli/index.ts': 1000, 'native-worker/engine/native/kernels.c': 2500 });
    expect(cliEntry(stale)).toEqual({ built: false, path: join(stale, 'main/cli/index.ts') });
    // common/ is bundled into the CLI as well (the contract, the value lists)
    const shared = packageWith({ 'out/cli/cli.js': 2000, 'main/cli/index.ts': 1000, 'common/values.ts': 2500 });
    expect(cliEntry(shared)).toEqual({ built: false, path: join(shared, 'main/cli/index.ts') });
    const unbuilt = packageWith({ 'main/cli/index.ts': 1000 });
    expect(cliEntry(unbuilt)).toEqual({ built: false, path: join(unbuilt, 'main/cli/index.ts') });
    made.push(fresh, stale, shared, unbuilt);
  });

  it('builds the CLI when there is none, then answers --version and trains from the build, without tsx', () => {
    // a checkout of its own (the sources linked, the launcher copied), so the build lands in its out/
    const root = mkdtempSync(join(tmpdir(), 'wb-launch-'));
    made.push(root);
    for (const d of ['main', 'common', 'native-worker', 'node_modules', 'package.json']) symlinkSync(join(repo, d), join(root, d));
    cpSync(join(repo, 'bin'), join(root, 'bin'), { recursive: true });
    const launch = (...args: string[]) =>
      spawnSync(process.execPath, [join(root, 'bin/rnn-workbench.js'), ...args], {
        encoding: 'utf8',
        // no tsx anywhere: a run through the sources would fail to load them
        env: { ...process.env, NODE_OPTIONS: '' },
        timeout: 120_000,
      });
    const version = launch('--version');
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^rnn-workbench \d+\.\d+\.\d+\nengine .+, .+ kernels/);
    for (const f of ['cli.js', 'worker.js', 'version.js']) expect(existsSync(join(root, 'out/cli', f))).toBe(true);
    expect(cliEntry(root).built).toBe(true);

    const db = join(root, 'runs.db');
    const train = launch('train', '--task', 'sine', '--method', 'bptt', '--hidden', '4', '--steps', '30', '--db', db, '--json');
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);
    const lines = train.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type?: string; status?: string });
    expect(lines.at(-1)).toMatchObject({ status: 'completed' });
  });
});
