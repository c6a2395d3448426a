import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The layer rules' messages for `code` as if it were the file `file` (relative to the root). */
async function restricted(code: string, file = 'common/probe.ts'): Promise<string[]> {
  const [result] = await new ESLint({ cwd: root }).lintText(code, { filePath: `${root}/${file}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('common/ (shared with the renderer)', () => {
  it('may not import Node, Electron, SQLite or any process', async () => {
    for (const from of [
      'node:fs',
      'fs',
      'electron',
      'better-sqlite3',
      '../main/runs/manager',
      '../native-worker/config',
      '../renderer/status',
    ]) {
      expect({ from, errors: (await restricted(`import { x } from '${from}';\nexport const y = x;\n`)).length }).toEqual({
        from,
        errors: 1,
      });
    }
  });

  it('may import zod and its own modules', async () => {
    expect(
      await restricted(`import { z } from 'zod';\nimport { RUN_STATUSES } from './statuses';\nexport const s = z.enum(RUN_STATUSES);\n`),
    ).toEqual([]);
  });
});

describe("main/ (the engine's one door)", () => {
  const inMain = (code: string) => restricted(code, 'main/runs/probe.ts');

  it('may not import any engine module but engine-api, statically or dynamically', async () => {
    for (const code of [
      `import { parseConfig } from '../../native-worker/config';\nexport const y = parseConfig;\n`,
      `import { Trainer } from '../../native-worker/trainer';\nexport const y = Trainer;\n`,
      `import type { Layout } from '../../native-worker/engine/params';\nexport type Y = Layout;\n`,
      `export { TaskError } from '../../native-worker/tasks/task';\n`,
      `export const y = () => import('../../native-worker/engine/fast/workspace');\n`,
    ]) {
      const errors = await inMain(code);
      expect({ code, errors: errors.length }).toEqual({ code, errors: 1 });
      expect(errors[0]).toMatch(/^(.* )?main\/ enters the engine only through native-worker\/engine-api\.ts/);
    }
  });

  it('may import engine-api, statically or dynamically', async () => {
    expect(
      await inMain(
        `import { checkConfig, ENGINE_VERSION } from '../../native-worker/engine-api';\n` +
          `export const y = [checkConfig, ENGINE_VERSION, () => import('../../native-worker/engine-api')];\n`,
      ),
    ).toEqual([]);
  });
});
