import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function restricted(code: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: root }).lintText(code, { filePath: `${root}/common/probe.ts` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
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
