// docs/config.md is the config schema and the fields' documentation comments
// in Markdown: it must say what the schema accepts now, and no field may go
// undocumented.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { configReference, fieldDocs, type FieldDocs } from '../../scripts/config-reference';

let docs: FieldDocs;
beforeAll(() => {
  docs = fieldDocs(); // the TypeScript checker over common/run-config.ts: built once
});

describe('docs/config.md', () => {
  it('is current with the schema and common/run-config.ts (regenerate: node --import tsx scripts/config-reference.ts)', () => {
    const written = readFileSync(fileURLToPath(new URL('../../docs/config.md', import.meta.url)), 'utf8');
    expect(written).toBe(configReference(docs));
  });

  it('shows each field with its range and default, and each variant with its own fields', () => {
    const doc = configReference(docs);
    expect(doc).toContain('| `training.lr` | number > 0, ≤ 1000 | `0.003` |');
    expect(doc).toContain('| `task.channels` | integer 1 … 256 | `4` |');
    expect(doc).toMatch(/\| `"adam"` \(default\) \| \| \| \| Adam/);
    expect(doc).toContain('| | `method.k` | integer 1 … 100000 | `10` |');
    expect(doc).toContain('| `task.csv` | text | (required) |');
  });

  it('refuses a field without a description, naming it', () => {
    const without = new Map(docs);
    without.delete('training.optimizer[adam].beta2');
    without.delete('task[copy]');
    expect(() => configReference(without)).toThrow(/without a description.*task\[copy\].*training\.optimizer\[adam\]\.beta2/);
  });
});
